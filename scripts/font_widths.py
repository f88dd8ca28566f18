"""Write src/vanban/data/font-widths.json: the advance widths of Liberation Serif.

Liberation Serif has the metrics of Times New Roman, the font ND30 prescribes, so these
widths say how long a line of the masthead is in Word and in LibreOffice alike. The file
covers the characters Vietnamese documents use: ASCII, Latin-1, the Latin letters with
Vietnamese diacritics (precomposed, NFC), the combining tone marks and common punctuation.

Run once, when the font or the character set changes (fontTools is needed here only):

    pip install fontTools
    python scripts/font_widths.py /usr/share/fonts/truetype/liberation2
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1 (À Á Â Ã È É Ê Ì Í Ò Ó Ô Õ Ù Ú Ý …)
    (0x0100, 0x017F),  # Latin Extended-A (Ă ă Đ đ Ĩ ĩ Ũ ũ)
    (0x01A0, 0x01B0),  # Ơ ơ Ư ư
    (0x0300, 0x0323),  # combining marks (tone marks, dot below)
    (0x1EA0, 0x1EF9),  # Latin Extended Additional: the Vietnamese letters
    (0x2010, 0x2027),  # dashes, quotation marks, bullet, ellipsis
    (0x2030, 0x203A),  # per mille, guillemets
    (0x20AB, 0x20AC),  # ₫ €
    (0x2116, 0x2116),  # №
    (0x2212, 0x2212),  # minus
)
FACES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf"}
OUT = Path(__file__).resolve().parent.parent / "src" / "vanban" / "data" / "font-widths.json"


def widths(path: Path) -> tuple[int, str, dict[str, int]]:
    """Return the font's units per em, its name and version, and each covered character's
    advance width in font units."""
    font = TTFont(path)
    cmap = font.getBestCmap()
    metrics = font["hmtx"].metrics
    name = font["name"]
    label = f"{name.getDebugName(4)} {name.getDebugName(5)}"
    table = {
        chr(code): metrics[cmap[code]][0]
        for start, end in RANGES
        for code in range(start, end + 1)
        if code in cmap
    }
    return font["head"].unitsPerEm, label, table


def main(fonts_dir: str) -> None:
    data: dict[str, object] = {}
    labels = []
    for face, file in FACES.items():
        units, label, table = widths(Path(fonts_dir) / file)
        if data.setdefault("units_per_em", units) != units:
            raise SystemExit(f"{file}: {units} units per em, not {data['units_per_em']}")
        labels.append(label)
        data[face] = table
    data["fonts"] = labels
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"{OUT}: {len(table)} characters each")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")
