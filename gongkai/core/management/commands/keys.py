"""``gongkai keys generate|rotate|status``: the keys of applicants' encrypted personal data.

- ``generate`` prints a new Fernet key (for FIELD_ENCRYPTION_KEYS) or, with ``--hash``, a new
  FIELD_HASH_KEY. Nothing is stored.
- ``rotate`` re-encrypts every encrypted column with the newest key (the first in
  FIELD_ENCRYPTION_KEYS), in batches, progress on stderr; one audit entry with the counts.
- ``status`` counts each column's values by the key that decrypts them: an old key may be
  removed once no value (and no backup still kept) needs it; and each keyed-hash column's
  hashes by whether they are under the current FIELD_HASH_KEY.
- ``rehash`` recomputes every keyed hash (lookup hashes, ``applicant_key``) under the current
  FIELD_HASH_KEY from the decrypted values, after the key was changed (the old one kept in
  FIELD_HASH_KEYS_PREVIOUS meanwhile, so exact-match search keeps working); one audit entry.

The procedure is in docs/security.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import crypto
from gongkai.core.audit import record_audit


class Command(BaseCommand):
    """Generate, rotate and inspect the field-encryption keys."""

    help = (
        "申请人个人信息加密密钥：generate 生成新密钥，rotate 用最新密钥重新加密，"
        "rehash 用当前哈希密钥重算检索哈希，status 统计各密钥加密的数据"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        """Sub-command and options."""
        parser.add_argument("action", choices=["generate", "rotate", "rehash", "status"])
        parser.add_argument(
            "--hash", action="store_true", help="generate：生成 FIELD_HASH_KEY（哈希密钥）"
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="rotate：每批行数")

    def handle(self, *args: Any, **options: Any) -> None:
        """Dispatch to the sub-command."""
        action = options["action"]
        if action == "generate":
            self.stdout.write(
                secrets.token_urlsafe(48) if options["hash"] else crypto.generate_key()
            )
            return
        try:
            keys = crypto.encryption_keys()
            crypto.encrypt("")  # validates every key
            crypto.hash_keys()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if action == "status":
            self._status(keys)
        elif action == "rehash":
            self._rehash(max(1, options["batch_size"]))
        else:
            self._rotate(keys, max(1, options["batch_size"]))

    def _status(self, keys: tuple[str, ...]) -> None:
        names = [crypto.key_id(k) for k in keys]
        self.stdout.write("密钥（最新在前）：" + "、".join(names))
        unreadable = 0
        for model, f in crypto.encrypted_columns():
            report = crypto.column_status(model, f)
            counts = "，".join(f"{k}: {n}" for k, n in sorted(report.by_key.items())) or "无数据"
            self.stdout.write(f"{report.label}：{report.values} 个值（{counts}）")
            unreadable += report.by_key.get("?", 0)
        hash_names = [crypto.key_id(k.decode()) for k in crypto.hash_keys()]
        self.stdout.write("哈希密钥（当前在前）：" + "、".join(hash_names))
        stale = 0
        if not unreadable:
            for col in crypto.keyed_columns():
                report = crypto.hash_status(col)
                stale += report.values - report.current
                self.stdout.write(
                    f"{report.label}：{report.values} 行，当前哈希密钥 {report.current}，"
                    f"待重算 {report.values - report.current}"
                )
        if unreadable:
            raise CommandError(f"有 {unreadable} 个值无法用已配置的任何密钥解密（标为 ?）。")
        if stale:
            self.stdout.write(
                f"有 {stale} 个检索哈希不是用当前哈希密钥计算的：请运行 gongkai keys rehash。"
            )

    def _progress(self, label: str, done: int, total: int) -> None:
        """One progress line per column on stderr, rewritten in place."""
        self.stderr.write(f"\r{label}: {done}/{total}", ending="\n" if done >= total else "")
        self.stderr.flush()

    def _run_audited(
        self,
        jobs: Iterable[Callable[[], crypto.ColumnReport]],
        *,
        action: str,
        target: str,
        aborted: str,
        details: Callable[[list[crypto.ColumnReport]], dict[str, Any]],
    ) -> list[crypto.ColumnReport]:
        """Run the column jobs; one audit entry with their counts, complete or not."""
        reports: list[crypto.ColumnReport] = []
        error = ""
        try:
            for job in jobs:
                reports.append(job())
        except crypto.DecryptionError as exc:
            error = str(exc)
        finally:
            record_audit(
                action=action,
                target_repr=target,
                after={
                    **details(reports),
                    "completed": not error,
                    "already_current": sum(r.current for r in reports),
                    "changed_meanwhile": sum(r.changed_meanwhile for r in reports),
                    **({"error": error[:300]} if error else {}),
                },
            )
        if error:
            self.stderr.write("")
            raise CommandError(f"{aborted}：{error}")
        return reports

    def _rehash(self, batch_size: int) -> None:
        current = crypto.key_id(crypto.hash_key().decode())
        reports = self._run_audited(
            (
                partial(crypto.rehash_column, col, batch_size=batch_size, progress=self._progress)
                for col in crypto.keyed_columns()
            ),
            action="keys.rehash",
            target="FIELD_HASH_KEY",
            aborted="重算中止",
            details=lambda reports: {
                "hash_key": current,
                "previous_keys": len(crypto.hash_keys()) - 1,
                "rehashed": sum(r.rotated for r in reports),
                "columns": {r.label: {"rows": r.values, "rehashed": r.rotated} for r in reports},
            },
        )
        for r in reports:
            self.stdout.write(
                f"{r.label}：{r.values} 行，重算 {r.rotated}，已是当前哈希密钥 {r.current}"
                + (f"，期间被修改 {r.changed_meanwhile}" if r.changed_meanwhile else "")
            )
        self.stdout.write(
            f"完成：共重算 {sum(r.rotated for r in reports)} 个检索哈希，当前哈希密钥 {current}。"
            "确认无误后可从 FIELD_HASH_KEYS_PREVIOUS 中移除旧密钥。"
        )

    def _rotate(self, keys: tuple[str, ...], batch_size: int) -> None:
        reports = self._run_audited(
            (
                partial(
                    crypto.rotate_column, model, f, batch_size=batch_size, progress=self._progress
                )
                for model, f in crypto.encrypted_columns()
            ),
            action="keys.rotate",
            target="FIELD_ENCRYPTION_KEYS",
            aborted="轮换中止",
            details=lambda reports: {
                "primary_key": crypto.key_id(keys[0]),
                "keys": len(keys),
                "rotated": sum(r.rotated for r in reports),
                "columns": {
                    r.label: {
                        "values": r.values,
                        "rotated": r.rotated,
                        "already_current": r.current,
                    }
                    for r in reports
                },
            },
        )
        for r in reports:
            self.stdout.write(
                f"{r.label}：{r.values} 个值，重新加密 {r.rotated}，已是最新密钥 {r.current}"
                + (f"，期间被修改 {r.changed_meanwhile}" if r.changed_meanwhile else "")
            )
        self.stdout.write(
            f"完成：共重新加密 {sum(r.rotated for r in reports)} 个值，"
            f"当前密钥 {crypto.key_id(keys[0])}。"
        )
