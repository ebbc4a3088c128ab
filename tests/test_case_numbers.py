"""Case numbers DEPT.JRWA.SEQ.YEAR: per department, class and year, gap-free and unique under concurrency."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from eurzad.cases import operations
from eurzad.cases.models import Case, CaseEvent, DefinitionSnapshot, Submission
from eurzad.cases.operations import file_submission
from eurzad.extensions import db, registry

DATA = {"full_name": "Jan Kowalski", "email": "jan@example.pl", "information_requested": "Rejestr umów 2025",
        "delivery_method": "email", "consent": True}


def file(app, user_id: int, data=DATA, now: datetime | None = None) -> Case:
    reg = registry()
    case = file_submission(reg.forms["public-information"], reg.workflows, data, user_id, "pl",
                           now or datetime(2026, 3, 2, 10, 0), app.config["OFFICE_TIMEZONE"])
    db.session.commit()
    return case


def test_numbers_count_per_department_class_and_year(app, make_user):
    user = make_user()
    with app.app_context():
        numbers = [file(app, user.id).number, file(app, user.id).number,
                   file(app, user.id, {**DATA, "topic": "finances"}).number,
                   file(app, user.id, now=datetime(2027, 1, 4, 9, 0)).number]
    assert numbers == ["OR.1431.1.2026", "OR.1431.2.2026", "FN.1431.1.2026", "OR.1431.1.2027"]


def test_the_year_is_the_office_year_not_the_utc_year(app, make_user):
    user = make_user()
    with app.app_context():
        # 23:30 UTC on 31 December is already New Year in Krosno.
        assert file(app, user.id, now=datetime(2026, 12, 31, 23, 30)).number == "OR.1431.1.2027"


def test_a_failed_submission_stores_nothing_and_gives_its_number_back(app, make_user, monkeypatch):
    user = make_user()
    original = operations.next_seq

    def seq_then_fail(*args):
        original(*args)
        raise RuntimeError("disk full")

    with app.app_context():
        monkeypatch.setattr(operations, "next_seq", seq_then_fail)
        with pytest.raises(RuntimeError):
            file(app, user.id)
        db.session.rollback()
        for model in (DefinitionSnapshot, Submission, Case, CaseEvent):
            assert db.session.scalar(select(func.count()).select_from(model)) == 0, model
        monkeypatch.setattr(operations, "next_seq", original)
        assert file(app, user.id).number == "OR.1431.1.2026"


def test_concurrent_submissions_get_unique_gap_free_numbers(app, make_user):
    """Many threads (each its own connection and transaction) file at once; on PostgreSQL in CI."""
    user = make_user()
    threads_count, per_thread = 8, 6
    failures: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def worker():
        try:
            with app.app_context():
                start.wait()
                for _ in range(per_thread):
                    file(app, user.id)
        except BaseException as exc:  # reported below, with the thread's own error
            failures.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with app.app_context():
        seqs = sorted(db.session.scalars(select(Case.seq)).all())
        numbers = db.session.scalars(select(Case.number)).all()
    total = threads_count * per_thread
    assert seqs == list(range(1, total + 1))
    assert len(set(numbers)) == total
