"""Printer calibration for birth certificates: how far a printer shifts what it prints, stored
per printer and applied to every certificate printed on it.

A setting with its own key prefix and limits; separate from the stock services because it is about
printers, not forms.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from models import audit
from models.db import database
from models.errors import InvalidInput
from models.permissions import Actor, require
from models.schema import Setting

MAX_OFFSET_MM = 30.0

CALIBRATION_KEY = "certificate.calibration:"


@dataclass(frozen=True)
class Calibration:
    """Where the printer really puts a point asked for at (x, y): positive dx right, positive dy down."""

    dx_mm: float = 0.0
    dy_mm: float = 0.0


def get_calibration(printer: str) -> Calibration:
    row = Setting.get_or_none(Setting.key == CALIBRATION_KEY + printer)
    if row is None:
        return Calibration()
    value = json.loads(row.value)
    return Calibration(float(value["dx_mm"]), float(value["dy_mm"]))


def check_offsets(dx_mm: float, dy_mm: float) -> Calibration:
    for value, what in ((dx_mm, "水平"), (dy_mm, "垂直")):
        if not -MAX_OFFSET_MM <= value <= MAX_OFFSET_MM:
            raise InvalidInput(
                f"{what}偏移 {value} 毫米超出 ±{MAX_OFFSET_MM:g} 毫米，请检查进纸位置", field="offset"
            )
    return Calibration(round(float(dx_mm), 1), round(float(dy_mm), 1))


def set_calibration(actor: Actor, printer: str, dx_mm: float, dy_mm: float) -> Calibration:
    require(actor, "certificate.issue")
    printer = (printer or "").strip()
    if not printer or len(CALIBRATION_KEY + printer) > 100:
        raise InvalidInput("请填写打印机名称（不超过 70 个字符）", field="printer")
    calibration = check_offsets(dx_mm, dy_mm)
    before = get_calibration(printer)
    key, value = CALIBRATION_KEY + printer, json.dumps(asdict(calibration))
    with database.atomic():
        if Setting.update(value=value).where(Setting.key == key).execute() == 0:
            Setting.create(key=key, value=value)
        audit.record(actor, "certificate.calibrate", "setting", key, asdict(before), asdict(calibration))
    return calibration
