"""The kinds of administrative document vanban builds, as ND30 Phụ lục III defines them.

One table, read by the metadata (ký hiệu, what a kind prints and requires), by `vanban new`
(the default signer and the starting text), by `vanban import` (the type name it recognises)
and by the tests. Every kind Mẫu 1.4 ("văn bản có tên loại") lays out is here: its note lists
chỉ thị, quy chế, quy định, thông cáo, thông báo, hướng dẫn, chương trình, kế hoạch, phương án,
đề án, dự án, báo cáo, tờ trình, giấy ủy quyền, phiếu gửi, phiếu chuyển, phiếu báo; so are the
kinds with a sample of their own that vanban lays out as that sample does (Nghị quyết 1.1,
Công điện 1.6, Giấy mời 1.7, Giấy giới thiệu 1.8, Biên bản 1.9, Giấy nghỉ phép 1.10). Not
those ND30 gives no sample for (Hợp đồng, Bản ghi nhớ, Bản thỏa thuận, Thư công).
"""

from __future__ import annotations

from .classes import dataclass

# Whether a kind has the "Kính gửi" part of Nơi nhận (ô 9a; ND30 Phụ lục I, II.9.b).
NEVER = "never"  # refused: a Quyết định names who carries it out in its last Điều
UNUSUAL = "unusual"  # ND30's sample shows none; one addressed to a body may carry it (warned)
OPTIONAL = "optional"  # a Báo cáo sent to a higher body has it; one issued downwards does not
REQUIRED = "required"

# What a kind's text must say (ND30 Phụ lục III, its sample), each as (what, the labels a
# line that says it may start with): a Giấy mời says when and where the meeting is; a Biên
# bản too, as its sample's "Thời gian bắt đầu:", "Địa điểm:" or a "Hôm nay, vào lúc … tại …".
TIME = ("the time", ("Thời gian",))
PLACE = ("the place", ("Địa điểm", "Tại"))
RESOLVED = ("what it resolves", ("QUYẾT NGHỊ",))  # a Nghị quyết's "QUYẾT NGHỊ:" before its Điều
# A line typed in place of what a kind's text must say, as often mistaken for it: a Nghị
# quyết's "QUYẾT ĐỊNH:", a Quyết định's line, where its "QUYẾT NGHỊ:" stands.
MISTAKEN_FOR: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {RESOLVED: ("QUYẾT ĐỊNH",)}
MET = ("when and where it met", ("Thời gian", "Hôm nay", "Vào lúc", "Vào hồi"))
# A Giấy giới thiệu (Mẫu 1.8) names the person it introduces ("Ông (bà) …"), where they are
# sent, what for and until when it is valid. " … " in a label stands for any words of the
# same line ("Giấy này có giá trị đến hết ngày …", "Giấy giới thiệu có giá trị …").
PERSON = ("whom it is for", ("Ông", "Bà", "Đồng chí"))
SENT_TO = ("where they are sent", ("Được cử đến",))
ABOUT = ("what for", ("Về việc",))
VALID_UNTIL = ("until when it is valid", ("Giấy … có giá trị",))
# A Giấy nghỉ phép (Mẫu 1.10) names its person too, and grants the leave from a day, spent at
# a place: "Được nghỉ phép trong thời gian … kể từ ngày … đến hết ngày … tại …".
LEAVE_PERIOD = ("for how long", ("Được nghỉ phép … từ ngày",))
LEAVE_PLACE = ("where it is spent", ("Được nghỉ phép … tại", "Nơi nghỉ phép"))
# The block under its closing where the place of leave confirms it (Mẫu 1.10, "nếu cần").
LEAVE_CONFIRMATION = "Xác nhận của cơ quan (tổ chức) hoặc chính quyền địa phương nơi nghỉ phép"
# What a sentence of the text may say instead of a line with the label, as (a pattern, how a
# message names it): the hour after "lúc" or "hồi" ("… tới dự cuộc họp vào lúc 14 giờ 00
# ngày …"); the place after "tại", later in the paragraph that gives the hour ("…, tại …").
_HOUR = r"\b(?:lúc|hồi)\s+\d{1,2}\s*(?:giờ|g|h)(?![^\W\d_])"  # 14 giờ, 14g30, 14h00
_LATER_IN_THE_PARAGRAPH = r"(?:[^\n]|\n(?![ \t]*\n))*?"
IN_A_SENTENCE = {
    TIME: (_HOUR, "gives the hour (… lúc 14 giờ 00 …)"),
    PLACE: (_HOUR + _LATER_IN_THE_PARAGRAPH + r"\btại\s", "names it after the hour (…, tại …)"),
    MET: (_HOUR, "gives the hour (… vào hồi 14 giờ 00 …)"),
}

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
    # The line naming the authority that issues it (thẩm quyền ban hành), as the message about
    # a missing one gives it; None: the kind prints none
    issuer: str | None
    sample: str  # the ND30 sample it follows (Phụ lục III)
    authority: tuple[str, ...]  # the default signer, for `vanban new`
    position: str
    # The trích yếu under the type name: REQUIRED, OPTIONAL where real documents of the
    # kind often print none (a Giấy mời: ND30's sample has one, Lâm Đồng's have none), or
    # NEVER where ND30's sample prints only the rule under the name (a Giấy giới thiệu).
    summary: str = REQUIRED
    # What its text must say, as (what, the labels a line may start with) pairs: TIME, PLACE
    text_needs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # The place and date line under the Tiêu ngữ (a Biên bản has none: its text says them)
    date_line: bool = True
    # Signed by its secretary too, beside the chair (a Biên bản: THƯ KÝ, CHỦ TỌA)
    cosigned: bool = False
    # Nơi nhận: REQUIRED, or OPTIONAL (a Biên bản kept on file may list none)
    recipients: str = REQUIRED
    # Sent by its issuer: "<issuer> điện:" under the trích yếu, and the recipients
    # (recipients_to) under it, no Kính gửi (a Công điện, Mẫu 1.6)
    dispatch: bool = False
    # The first line of the agency's name and its abbreviation, for `vanban new`
    agency: tuple[str, str] = ("ỦY BAN NHÂN DÂN", "UBND")
    # The heading of the block under the closing where another body confirms it, printed
    # when data/document.yaml asks (confirmation:); None: the kind has no such block
    confirmation: str | None = None

    def symbol(self, agency: str, drafting_unit: str | None) -> str:
        """Return the ký hiệu: "BC-UBND", or for a Công văn "UBND-LĐTBXH"."""
        if self.abbreviation is None:
            return f"{agency}-{drafting_unit}" if drafting_unit else agency
        return f"{self.abbreviation}-{agency}"


# The default signers `vanban new` writes (ND30 sets none): the council's chairman, his
# deputy for him, the office's head for him, or the one who signs in his own name.
_COUNCIL = (("TM. ỦY BAN NHÂN DÂN",), "CHỦ TỊCH")
_DEPUTY = (("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), "PHÓ CHỦ TỊCH")
_OFFICE = (("TL. CHỦ TỊCH",), "CHÁNH VĂN PHÒNG")
_IN_PERSON = ((), "CHỦ TỊCH")


def _general(key: str, name: str, abbreviation: str, signer: tuple[tuple[str, ...], str]) -> Kind:
    """A kind in the general form of Phụ lục III, Mẫu 1.4: its type name printed in capitals,
    the trích yếu under it, no Kính gửi as a rule, no issuing line."""
    authority, position = signer
    return Kind(
        key=key,
        name=name,
        title=name.upper(),
        abbreviation=abbreviation,
        recipients_to=UNUSUAL,
        subject_line=False,
        issuer=None,
        sample="Mẫu 1.4",
        authority=authority,
        position=position,
    )


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
            issuer=None,
            sample="Mẫu 1.4",
            authority=("TM. ỦY BAN NHÂN DÂN",),
            position="CHỦ TỊCH",
        ),
        _general("ke-hoach", "Kế hoạch", "KH", _DEPUTY),
        Kind(
            key="to-trinh",
            name="Tờ trình",
            title="TỜ TRÌNH",
            abbreviation="TTr",
            recipients_to=REQUIRED,
            subject_line=False,
            issuer=None,
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
            issuer=None,
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
            issuer="CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN …",
            sample="Mẫu 1.2, 1.3",
            authority=(),
            position="CHỦ TỊCH",
        ),
        _general("chi-thi", "Chỉ thị", "CT", _COUNCIL),
        _general("quy-che", "Quy chế", "QC", _COUNCIL),
        _general("quy-dinh", "Quy định", "QyĐ", _COUNCIL),
        _general("thong-cao", "Thông cáo", "TC", _COUNCIL),
        _general("thong-bao", "Thông báo", "TB", _OFFICE),
        _general("huong-dan", "Hướng dẫn", "HD", _DEPUTY),
        _general("chuong-trinh", "Chương trình", "CTr", _DEPUTY),
        _general("phuong-an", "Phương án", "PA", _DEPUTY),
        _general("de-an", "Đề án", "ĐA", _COUNCIL),
        _general("du-an", "Dự án", "DA", _DEPUTY),
        _general("giay-uy-quyen", "Giấy ủy quyền", "GUQ", _IN_PERSON),
        _general("phieu-gui", "Phiếu gửi", "PG", _OFFICE),
        _general("phieu-chuyen", "Phiếu chuyển", "PC", _OFFICE),
        _general("phieu-bao", "Phiếu báo", "PB", _OFFICE),
        Kind(
            key="giay-moi",
            name="Giấy mời",
            title="GIẤY MỜI",
            abbreviation="GM",
            recipients_to=UNUSUAL,
            subject_line=False,
            issuer=None,
            sample="Mẫu 1.7",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
            summary=OPTIONAL,
            text_needs=(TIME, PLACE),
        ),
        Kind(
            key="nghi-quyet",
            name="Nghị quyết",
            title="NGHỊ QUYẾT",
            abbreviation="NQ",
            recipients_to=NEVER,
            subject_line=False,
            issuer="[HỘI ĐỒNG NHÂN DÂN HUYỆN …, KHÓA …, KỲ HỌP THỨ …]",
            sample="Mẫu 1.1",
            authority=("TM. HỘI ĐỒNG NHÂN DÂN",),
            position="CHỦ TỊCH",
            text_needs=(RESOLVED,),
            agency=("HỘI ĐỒNG NHÂN DÂN", "HĐND"),
        ),
        Kind(
            key="bien-ban",
            name="Biên bản",
            title="BIÊN BẢN",
            abbreviation="BB",
            recipients_to=NEVER,
            subject_line=False,
            issuer=None,
            sample="Mẫu 1.9",
            authority=(),
            position="CHỦ TỌA",
            text_needs=(MET,),
            date_line=False,
            cosigned=True,
            recipients=OPTIONAL,
        ),
        Kind(
            key="giay-gioi-thieu",
            name="Giấy giới thiệu",
            title="GIẤY GIỚI THIỆU",
            abbreviation="GGT",
            recipients_to=NEVER,
            subject_line=False,
            issuer=None,
            sample="Mẫu 1.8",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
            summary=NEVER,
            text_needs=(PERSON, SENT_TO, ABOUT, VALID_UNTIL),
        ),
        Kind(
            key="giay-nghi-phep",
            name="Giấy nghỉ phép",
            title="GIẤY NGHỈ PHÉP",
            abbreviation="GNP",
            recipients_to=NEVER,
            subject_line=False,
            issuer=None,
            sample="Mẫu 1.10",
            authority=("TL. CHỦ TỊCH",),
            position="CHÁNH VĂN PHÒNG",
            summary=NEVER,
            text_needs=(PERSON, LEAVE_PERIOD, LEAVE_PLACE),
            confirmation=LEAVE_CONFIRMATION,
        ),
        Kind(
            key="cong-dien",
            name="Công điện",
            title="CÔNG ĐIỆN",
            abbreviation="CĐ",
            recipients_to=REQUIRED,
            subject_line=False,
            issuer="CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …",
            sample="Mẫu 1.6",
            authority=(),
            position="CHỦ TỊCH",
            dispatch=True,
        ),
    )
}


def kind_names() -> str:
    """Return the kinds for a message: "bao-cao (Báo cáo), ke-hoach (Kế hoạch), …"."""
    return ", ".join(f"{k.key} ({k.name})" for k in KINDS.values())
