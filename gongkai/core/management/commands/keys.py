"""``gongkai keys generate|rotate|status``: the keys of applicants' encrypted personal data.

- ``generate`` prints a new Fernet key (for FIELD_ENCRYPTION_KEYS) or, with ``--hash``, a new
  FIELD_HASH_KEY. Nothing is stored.
- ``rotate`` re-encrypts every encrypted column with the newest key (the first in
  FIELD_ENCRYPTION_KEYS), in batches, progress on stderr; one audit entry with the counts.
- ``status`` counts each column's values by the key that decrypts them: an old key may be
  removed once no value (and no backup still kept) needs it.

The procedure is in docs/security.md.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core import crypto
from gongkai.core.audit import record_audit


class Command(BaseCommand):
    """Generate, rotate and inspect the field-encryption keys."""

    help = "申请人个人信息加密密钥：generate 生成新密钥，rotate 用最新密钥重新加密，status 统计各密钥加密的数据"

    def add_arguments(self, parser: CommandParser) -> None:
        """Sub-command and options."""
        parser.add_argument("action", choices=["generate", "rotate", "status"])
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
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if action == "status":
            self._status(keys)
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
        if unreadable:
            raise CommandError(f"有 {unreadable} 个值无法用已配置的任何密钥解密（标为 ?）。")

    def _rotate(self, keys: tuple[str, ...], batch_size: int) -> None:
        def progress(label: str, done: int, total: int) -> None:
            self.stderr.write(f"\r{label}: {done}/{total}", ending="\n" if done >= total else "")
            self.stderr.flush()

        reports: list[crypto.ColumnReport] = []
        error = ""
        try:
            for model, f in crypto.encrypted_columns():
                reports.append(
                    crypto.rotate_column(model, f, batch_size=batch_size, progress=progress)
                )
        except crypto.DecryptionError as exc:
            error = str(exc)
        finally:
            record_audit(
                action="keys.rotate",
                target_repr="FIELD_ENCRYPTION_KEYS",
                after={
                    "primary_key": crypto.key_id(keys[0]),
                    "keys": len(keys),
                    "completed": not error,
                    "rotated": sum(r.rotated for r in reports),
                    "already_current": sum(r.current for r in reports),
                    "changed_meanwhile": sum(r.changed_meanwhile for r in reports),
                    "columns": {
                        r.label: {
                            "values": r.values,
                            "rotated": r.rotated,
                            "already_current": r.current,
                        }
                        for r in reports
                    },
                    **({"error": error[:300]} if error else {}),
                },
            )
        if error:
            self.stderr.write("")
            raise CommandError(f"轮换中止：{error}")
        for r in reports:
            self.stdout.write(
                f"{r.label}：{r.values} 个值，重新加密 {r.rotated}，已是最新密钥 {r.current}"
                + (f"，期间被修改 {r.changed_meanwhile}" if r.changed_meanwhile else "")
            )
        self.stdout.write(
            f"完成：共重新加密 {sum(r.rotated for r in reports)} 个值，"
            f"当前密钥 {crypto.key_id(keys[0])}。"
        )
