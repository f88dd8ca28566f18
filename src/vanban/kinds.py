"""The kinds of administrative document vanban builds, as ND30 Phụ lục III defines them.

One table, read by the metadata (ký hiệu, what a kind prints and requires), by `vanban new`
(the default signer and the starting text) and by the tests. Adding a kind of the Mẫu 1.4
family (Thông báo, Hướng dẫn, Chương trình…) is one more row.
"""

from __future__ import annotations

from .classes import dataclass

# Whether a kind has the "Kính gửi" part of Nơi nhận (ô 9a; ND30 Phụ lục I, II.9.b).
NEVER = "never"  # refused: a Quyết định names who carries it out in its last Điều
UNUSUAL = "unusual"  # ND30's sample shows none; one addressed to a body may carry it (warned)
OPTIONAL = "optional"  # a Báo cáo sent to a higher body has it; one issued downwards does not
REQUIRED = "required"

# The prefixes of a signer's authority (ND30 Phụ lục I, II.7.b): thay mặt (tập thể), ký thay,
# thừa lệnh, thừa ủy quyền. "Q." (quyền) stands before the position itself.
AUTHORITY_PREFIXES = ("TM.", "KT.", "TL.", "TUQ.")
ACTING_PREFIX = "Q."


@dataclass(frozen=True)
class Kind:
    """One kind of document: what its masthead prints and which parts it needs."""

    key: str  # in data/document.yaml: kind: bao-cao
    name: str  # "Báo cáo": in messages and in "(Kèm theo Báo cáo số …)"
    title: str | None  # the printed type name (ô 5a); None: Công văn prints none
    abbreviation: str | None  # in the ký hiệu (Phụ lục III, I); None: Công văn has none
    recipients_to: str  # Kính gửi: NEVER, UNUSUAL, OPTIONAL or REQUIRED
    subject_line: bool  # the trích yếu is printed "V/v …" under Số (ô 5b), not under the title
    issuer: bool  # a line naming the authority that issues it (Quyết định: thẩm quyền ban hành)
    sample: str  # the ND30 sample it follows (Phụ lục III)
    authority: tuple[str, ...]  # the default signer, for `vanban new`
    position: str

    def symbol(self, agency: str, drafting_unit: str | None) -> str:
        """Return the ký hiệu: "BC-UBND", or for a Công văn "UBND-LĐTBXH"."""
        if self.abbreviation is None:
            return f"{agency}-{drafting_unit}" if drafting_unit else agency
        return f"{self.abbreviation}-{agency}"


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            key="bao-cao",
            name="Báo cáo",
            title="BÁO CÁO",
            abbreviation="BC",
            recipients_to=OPTIONAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="ke-hoach",
            name="Kế hoạch",
            title="KẾ HOẠCH",
            abbreviation="KH",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="to-trinh",
            name="Tờ trình",
            title="TỜ TRÌNH",
            abbreviation="TTr",
            recipients_to=REQUIRED,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="cong-van",
            name="Công văn",
            title=None,
            abbreviation=None,
            recipients_to=REQUIRED,
            subject_line=True,
            issuer=False,
            sample="Mẫu 1.5",
            authority=("KT. CHỦ TỊCH",),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="quyet-dinh",
            name="Quyết định",
            title="QUYẾT ĐỊNH",
            abbreviation="QĐ",
            recipients_to=NEVER,
            subject_line=False,
            issuer=True,
            sample="Mẫu 1.2, 1.3",
            authority=(),
            position="CHỦ TỊCH",
        ),
    )
}


def kind_names() -> str:
    """Return the kinds for a message: "bao-cao (Báo cáo), ke-hoach (Kế hoạch), …"."""
    return ", ".join(f"{k.key} ({k.name})" for k in KINDS.values())
