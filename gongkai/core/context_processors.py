"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, object]:
    """Provide the platform's name and site id, and whether this is the demo instance."""
    return {
        "PLATFORM_NAME": settings.PLATFORM_NAME,
        "PLATFORM_SITE_ID": settings.PLATFORM_SITE_ID,
        "DEMO_INSTANCE": settings.GONGKAI_DEMO,
    }
