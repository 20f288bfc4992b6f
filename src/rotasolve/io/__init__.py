"""Readers and writers: the Curtois benchmark format, JSON and CSV."""

from .curtois import read_curtois, read_curtois_text
from .files import (
    load_problem,
    load_schedule,
    read_schedule_csv,
    save_problem,
    save_schedule,
    write_report_csv,
    write_report_json,
    write_schedule_csv,
)

__all__ = [
    "load_problem",
    "load_schedule",
    "read_curtois",
    "read_curtois_text",
    "read_schedule_csv",
    "save_problem",
    "save_schedule",
    "write_report_csv",
    "write_report_json",
    "write_schedule_csv",
]
