"""Turn a response document into PDF: what is redacted, stamped, counted and provided.

* PDF: unchanged (``redaction.apply`` cleans and stamps it).
* PNG/JPEG/TIFF: one page per frame, by Pillow's PDF writer, re-encoded so that nothing of
  the file's own metadata (EXIF: camera, GPS position) goes along; the EXIF orientation is
  applied first. The page size follows the image's resolution when it states a plausible one,
  else the image is fitted to A4.
* DOCX/XLSX: LibreOffice headless (Debian's ``libreoffice-writer-nogui`` and
  ``libreoffice-calc-nogui``), run by the background worker, never in a web request: one run
  per file, in a private temporary directory with its own user profile (so conversions can run
  side by side and leave nothing behind), macros disabled and remote content blocked by that
  profile's settings, in its own process group that is killed whole when the run exceeds
  RESPONSE_CONVERT_TIMEOUT seconds.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from gongkai.responses.choices import FileKind
from gongkai.responses.inspect import EXTENSIONS, IMAGE_KINDS, OFFICE_KINDS

#: A4 in inches (portrait); images without a plausible resolution are fitted to it.
A4_INCHES = (8.27, 11.69)
#: Resolutions (dpi) taken as the image's own; outside this range the image is fitted to A4.
PLAUSIBLE_DPI = (50, 1200)
#: JPEG quality when a colour or grey image is re-encoded for the PDF.
IMAGE_QUALITY = 90

#: The converting profile's settings: no macros at all, no remote content (linked images and
#: the like are not fetched from the network while converting).
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
  <prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConversionError(ValidationError):
    """The file could not be turned into PDF (the message is for people)."""


def to_pdf(data: bytes, kind: str, *, timeout: float | None = None) -> bytes:
    """Return ``data`` (of the detected ``kind``) as a PDF."""
    if kind == FileKind.PDF:
        return data
    if kind in IMAGE_KINDS:
        return image_to_pdf(data)
    if kind in OFFICE_KINDS:
        return office_to_pdf(data, kind, timeout=timeout)
    raise ConversionError(_("不支持转换该类型的文件。"), code="bad_type")


def _resolution(image: Image.Image) -> float:
    dpi: Any = image.info.get("dpi")
    if dpi:
        try:
            value = float(dpi[0])
        except (TypeError, ValueError, IndexError):
            value = 0.0
        if PLAUSIBLE_DPI[0] <= value <= PLAUSIBLE_DPI[1]:
            return value
    short, long = sorted(A4_INCHES)
    width, height = image.size
    if width > height:
        return max(width / long, height / short)
    return max(width / short, height / long)


def image_to_pdf(data: bytes) -> bytes:
    """A PDF with one page per frame of the image, without the image file's metadata."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            resolution = _resolution(image)
            frames = []
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                frame = ImageOps.exif_transpose(image) if index == 0 else image.copy()
                if frame.mode not in ("1", "L", "RGB"):
                    frame = frame.convert("RGBA" if "A" in frame.getbands() else "RGB")
                if frame.mode == "RGBA":  # flatten transparency onto white paper
                    paper = Image.new("RGB", frame.size, "white")
                    paper.paste(frame, mask=frame.getchannel("A"))
                    frame = paper
                frame.info = {}  # no EXIF, ICC or comments into the PDF
                frames.append(frame)
        out = io.BytesIO()
        # Bilevel scans are written as CCITT G4, the rest as JPEG (at IMAGE_QUALITY).
        extra = {} if any(f.mode == "1" for f in frames) else {"quality": IMAGE_QUALITY}
        frames[0].save(
            out, "PDF", resolution=resolution, save_all=True, append_images=frames[1:], **extra
        )
    except Exception as exc:  # noqa: BLE001 - any decoder failure means a damaged image
        raise ConversionError(_("图片无法转换为 PDF：%(error)s") % {"error": exc}) from exc
    return out.getvalue()


def _timeout(timeout: float | None) -> float:
    configured: Any = getattr(settings, "RESPONSE_CONVERT_TIMEOUT", 120)
    return float(timeout or configured)


def office_to_pdf(
    data: bytes, kind: str, *, timeout: float | None = None, soffice: str | None = None
) -> bytes:
    """Convert a DOCX or XLSX file to PDF with LibreOffice headless (see the module docstring)."""
    binary = shutil.which(str(soffice or getattr(settings, "RESPONSE_SOFFICE", "soffice")))
    if binary is None:
        raise ConversionError(
            _("服务器未安装 LibreOffice，无法转换 Office 文件。"), code="unavailable"
        )
    limit = _timeout(timeout)
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        work = Path(tmp)
        source = work / f"document.{EXTENSIONS[FileKind(kind)]}"
        source.write_bytes(data)
        profile = work / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS)
        outdir = work / "out"
        command = [
            binary,
            "--headless",
            "--invisible",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            f"-env:UserInstallation={profile.as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(source),
        ]
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(work),
            "TMPDIR": str(work),
            "LANG": "C.UTF-8",
            "SAL_USE_VCLPLUGIN": "svp",
        }
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            command,
            cwd=work,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group, killed whole below
        )
        try:
            _out, err = process.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise ConversionError(
                _("文件转换超时（超过 %(seconds)d 秒），请将文件另存为 PDF 后上传。")
                % {"seconds": limit},
                code="timeout",
            ) from None
        finally:
            _kill_group(process)  # anything the run left behind
        result = outdir / "document.pdf"
        if process.returncode != 0 or not result.is_file():
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise ConversionError(
                _("文件无法转换为 PDF（%(detail)s）。") % {"detail": detail[0][:200]},
                code="failed",
            )
        pdf = result.read_bytes()
    if not pdf.startswith(b"%PDF-"):
        raise ConversionError(_("文件无法转换为 PDF。"), code="failed")
    return pdf


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the process group the conversion started (its id is the child's pid)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
