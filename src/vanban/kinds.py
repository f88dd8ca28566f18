"""The kinds of administrative document vanban builds, as ND30 Phụ lục III defines them.

One table, read by the metadata (ký hiệu, what a kind prints and requires), by `vanban new`
(the default signer and the starting text), by `vanban import` (the type name it recognises)
and by the tests. Every kind Mẫu 1.4 ("văn bản có tên loại") lays out is here: its note lists
chỉ thị, quy chế, quy định, thông cáo, thông báo, hướng dẫn, chương trình, kế hoạch, phương án,
đề án, dự án, báo cáo, tờ trình, giấy ủy quyền, phiếu gửi, phiếu chuyển, phiếu báo. The kinds
with a sample of their own (Nghị quyết 1.1, Công điện 1.6, Giấy mời 1.7, Giấy giới thiệu 1.8,
Biên bản 1.9, Giấy nghỉ phép 1.10) and those ND30 gives no sample for (Hợp đồng, Bản ghi nhớ,
Bản thỏa thuận, Thư công) are not.
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
        Kind(
            key="chi-thi",
            name="Chỉ thị",
            title="CHỈ THỊ",
            abbreviation="CT",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="quy-che",
            name="Quy chế",
            title="QUY CHẾ",
            abbreviation="QC",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="quy-dinh",
            name="Quy định",
            title="QUY ĐỊNH",
            abbreviation="QyĐ",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="thong-cao",
            name="Thông cáo",
            title="THÔNG CÁO",
            abbreviation="TC",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="thong-bao",
            name="Thông báo",
            title="THÔNG BÁO",
            abbreviation="TB",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
        ),
        Kind(
            key="huong-dan",
            name="Hướng dẫn",
            title="HƯỚNG DẪN",
            abbreviation="HD",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="chuong-trinh",
            name="Chương trình",
            title="CHƯƠNG TRÌNH",
            abbreviation="CTr",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="phuong-an",
            name="Phương án",
            title="PHƯƠNG ÁN",
            abbreviation="PA",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="de-an",
            name="Đề án",
            title="ĐỀ ÁN",
            abbreviation="ĐA",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="du-an",
            name="Dự án",
            title="DỰ ÁN",
            abbreviation="DA",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
            position="PHÓ CHỦ TỊCH",
        ),
        Kind(
            key="giay-uy-quyen",
            name="Giấy ủy quyền",
            title="GIẤY ỦY QUYỀN",
            abbreviation="GUQ",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=(),
            position="CHỦ TỊCH",
        ),
        Kind(
            key="phieu-gui",
            name="Phiếu gửi",
            title="PHIẾU GỬI",
            abbreviation="PG",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
        ),
        Kind(
            key="phieu-chuyen",
            name="Phiếu chuyển",
            title="PHIẾU CHUYỂN",
            abbreviation="PC",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
        ),
        Kind(
            key="phieu-bao",
            name="Phiếu báo",
            title="PHIẾU BÁO",
            abbreviation="PB",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=False,
            sample="Mẫu 1.4",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
        ),
    )
}


def kind_names() -> str:
    """Return the kinds for a message: "bao-cao (Báo cáo), ke-hoach (Kế hoạch), …"."""
    return ", ".join(f"{k.key} ({k.name})" for k in KINDS.values())
