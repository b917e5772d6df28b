"""PDFium is not thread-safe: every use of it in a process goes through ``PDFIUM``.

Web servers and the test live server answer requests in threads; two page images rendered at
once crash the process without this lock. The background worker runs one task at a time and
takes the lock too (uncontended).
"""

from __future__ import annotations

import threading

#: Held around every call that reaches PDFium (pypdfium2): opening, reading, rendering.
PDFIUM = threading.RLock()
