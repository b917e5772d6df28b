"""Response documents (答复材料): the material provided with a reply, redacted for 部分公开.

The document engine (pure functions) and its use on the case: ``models``, ``services``,
``workflow`` and the office and applicant views (decision 1702). The engine is used like this:

1. **Upload** (office view → service): ``inspect.inspect_file(data, name)`` checks type by
   content, size and pages and gives a safe name; refuse with its ``ResponseFileError``
   message. Keep the bytes as the *restricted original* (private storage, never a public URL).
2. **Convert** (background task, never in a request): ``convert.to_pdf(data, kind)`` turns
   DOCX/XLSX (LibreOffice headless) and images into PDF; keep that PDF as the restricted
   original of the redaction, and its page count (``inspect.page_count(pdf, FileKind.PDF)``)
   for the 信息处理费 per-page rules.
3. **Plan** (office pages): marks are data — ``redaction.Mark`` (page, box in PDF points,
   ``RedactionReason``, author, ``MarkSource``, group, label); store them with
   ``redaction.plan_to_data`` / ``plan_from_data`` (JSON) and audit every change. Proposals
   come from ``read_text(pdf)`` + ``search_text`` / ``search_pattern`` /
   ``search_personal_data``; boxes drawn on a page image become PDF points with
   ``view_to_pdf`` (and marks are drawn back with ``pdf_to_view``). Editing or undoing a mark
   is editing the list.
4. **Render** (background task): ``redaction.apply(original_pdf, marks, stamp=...)`` makes the
   provided file — call it for *every* provided PDF, with no marks too (it strips metadata,
   annotations, attachments and scripts, and stamps every page; ``stamps.stamp_text`` builds
   the 受理编号/date stamp). Previews and downloads are built from this output only.
5. **Approve**: ``redaction.verify(output, marks, original=original_pdf, stamp=...)`` must
   return no ``Problem``; show ``problem.message`` otherwise and refuse approval.
6. **Explain**: ``redaction.statement_lines(marks)`` gives the 区分处理说明 sentences for the
   reply letter; ``summarize(marks)`` / ``occurrence_count(marks)`` give the applicant's
   "区分处理，N 处" and the count per legal basis.

Serve provided files with ``Content-Disposition: attachment``, ``X-Content-Type-Options:
nosniff`` and ``Cache-Control: no-store``. Decisions: docs/decisions/1701-redaction-engine.md.
"""
