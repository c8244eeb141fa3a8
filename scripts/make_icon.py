"""Draw the app icon: a white building on the app's blue, with 物 (物业) on its front.

    QT_QPA_PLATFORM=offscreen uv run python scripts/make_icon.py

writes resources/icons/estate-office.png (256 px, the window icon) and estate-office.ico
(16-256 px, PNG-compressed entries, for the Windows program and its shortcuts). Both are
committed; run this again only to change the design.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
FONT = ROOT / "resources" / "fonts" / "wqy-microhei.ttf"
BLUE, WHITE = QColor("#1d4f91"), QColor("#ffffff")
SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.scale(size / 256, size / 256)  # designed on a 256 grid
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(BLUE)
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 40, 40)
    # the building: a roof and a body, outlined in white
    pen = QPen(WHITE, 16 if size >= 32 else 22)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    roof = QPolygonF([QPointF(36, 122), QPointF(128, 44), QPointF(220, 122)])
    p.drawPolyline(roof)
    body = QPainterPath()
    body.addRect(QRectF(64, 112, 128, 106))
    p.drawPath(body)
    if size >= 32:  # 物 on the front; at 16/24 px a plain house reads better
        p.setPen(WHITE)
        p.setFont(QFont(family, 58, QFont.Weight.Bold))
        p.drawText(QRectF(64, 114, 128, 104), Qt.AlignmentFlag.AlignCenter, "物")
    else:
        p.fillRect(QRectF(108, 158, 40, 60), WHITE)  # a door
    p.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(images: list[bytes]) -> bytes:
    """An .ico file whose entries are PNG images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, blob in zip(SIZES, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an icon directory
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        blobs += blob
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication(sys.argv)  # noqa: F841 (fonts and painting need the application)
    font_id = QFontDatabase.addApplicationFont(str(FONT))
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    images = [png_bytes(draw(size, family)) for size in SIZES]
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "estate-office.png").write_bytes(images[-1])
    (ICONS / "estate-office.ico").write_bytes(ico(images))
    print(f"wrote {ICONS / 'estate-office.png'} and {ICONS / 'estate-office.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
