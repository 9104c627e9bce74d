"""Re-encrypt every stored ID number with the current key of PERSONAL_DATA_KEYS (the first one).

The procedure (README, *Personal data keys*): put the new key first in PERSONAL_DATA_KEYS and keep the old one
after it, restart the portal and its workers, run this command, then remove the old key and restart again.
While the command runs the portal serves: every configured key reads and finds.

Each person and each of their history rows not yet under the current key is decrypted with its own key and
written again (ciphertext and keyed hashes) with the current one, in batches of one transaction each, without
a history entry (the number did not change). Rows already under the current key are skipped, so the command
may be interrupted and run again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from settlements import personal_data
from settlements.models import ID_NUMBER_COLUMNS, Person, read_id_number, stored_id_number

BATCH_SIZE = 2000


class Command(BaseCommand):
    help = (
        "用当前密钥（PERSONAL_DATA_KEYS 的第一个）重新加密全部人员及其变更记录中的身份证号并重算检索码；"
        "已是当前密钥的行跳过，可中断后再次运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="每批处理的行数")

    def handle(self, *args, batch_size, **options):
        versions = "、".join(f"v{version}" for version in personal_data.configured_versions())
        self.stdout.write(f"当前密钥 v{personal_data.current_version()}；已配置的密钥：{versions}")
        tables = ((Person, "人员"), (Person.history.model, "人员变更记录"))
        for model, label in tables:
            self._rotate(model, label, batch_size)
        left = sum(_stale(model).count() for model, _ in tables)
        if left:
            raise CommandError(f"仍有 {left:,} 行不是当前密钥（运行期间有人修改了记录）：请再运行一次本命令。")
        self.stdout.write(
            self.style.SUCCESS("全部身份证号已使用当前密钥。现在可以从 PERSONAL_DATA_KEYS 中删除旧密钥并重启平台。")
        )

    def _rotate(self, model, label, batch_size):
        key = model._meta.pk.attname
        stale = _stale(model).order_by(key).only(key, "id_number_encrypted")
        total, done, last = stale.count(), 0, None
        self.stdout.write(f"{label}：{total:,} 行待重新加密")
        while rows := list((stale if last is None else stale.filter(**{f"{key}__gt": last}))[:batch_size]):
            for row in rows:
                try:
                    number = read_id_number(row.id_number_encrypted)
                except personal_data.PersonalDataKeyError as error:
                    raise CommandError(f"{label} #{getattr(row, key)}：{error}") from error
                for column, value in stored_id_number(number).items():
                    setattr(row, column, value)
            with transaction.atomic():
                model.objects.bulk_update(rows, ID_NUMBER_COLUMNS)
            done, last = done + len(rows), getattr(rows[-1], key)
            self.stdout.write(f"  {label}：已处理 {done:,} / {total:,}")


def _stale(model):
    """The rows whose ID number is not under the current key."""
    return model.objects.exclude(id_number_encrypted__startswith=personal_data.version_prefix())
