"""The inbox's filters broken by hand, one at a time: each mutant is applied alone, the inbox tests are run (first
the ones meant to catch it, then the whole file if they do not), and the file is put back. A mutant no test
catches is a SURVIVOR: a feature of the inbox that could break unnoticed (docs/testing.md).

    python3 mutation/inbox_by_hand.py                   # every mutant; about 10 minutes on this machine
    python3 mutation/inbox_by_hand.py "state dropped"   # some, by name

Stop it only between mutants: the file of the mutant being tested is put back when its run ends.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES, VIEW, PAGE = "platform/eurzad/clerk/inbox.py", "platform/eurzad/clerk/views.py", "templates/clerk/inbox.html"
# (name, file, the tests to try first (pytest -k), the text, what it becomes)
MUTANTS = [
    ("view mine: someone else's", QUERIES, 'deadline',
     '"mine": case.assignee_id == scope.user_id',
     '"mine": case.assignee_id != scope.user_id'),
    ('view unassigned: assigned ones', QUERIES, 'counts',
     '"unassigned": case.assignee_id.is_(None)',
     '"unassigned": case.assignee_id.is_not(None)'),
    ('view overdue: due today too', QUERIES, 'counts',
     '"overdue": case.due_on < scope.today',
     '"overdue": case.due_on <= scope.today'),
    ('view overdue: dropped', QUERIES, 'counts',
     '"overdue": case.due_on < scope.today',
     '"overdue": literal(True)'),
    ('department not asked', QUERIES, 'another_department',
     '        stmt = stmt.where(case.department == scope.department)  #',
     '        stmt = stmt  #'),
    ('state=open dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(open_condition(scope, case))',
     '        stmt = stmt'),
    ('open = terminal states', QUERIES, 'filters_by',
     '    names = set().union(*scope.open.values())',
     '    names = set().union(*scope.terminal.values())'),
    ('state dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.state == filters.state)',
     '        stmt = stmt'),
    ('assignee=none dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.assignee_id.is_(None))\n    elif',
     '        stmt = stmt\n    elif'),
    ('assignee=id dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.assignee_id == int(filters.assignee))',
     '        stmt = stmt'),
    ('from dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.created_at >= scope.day_start(filters.received_from))',
     '        stmt = stmt'),
    ('from: the next day', QUERIES, 'filters_by',
     'case.created_at >= scope.day_start(filters.received_from)',
     'case.created_at >= scope.day_start(filters.received_from + timedelta(days=1))'),
    ('to dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.created_at < scope.day_start(filters.received_to + timedelta(days=1)))',
     '        stmt = stmt'),
    ('to: without its last day', QUERIES, 'filters_by',
     'scope.day_start(filters.received_to + timedelta(days=1))',
     'scope.day_start(filters.received_to)'),
    ('form dropped', QUERIES, 'filters_by',
     '        stmt = stmt.where(case.submission_id.in_(select(Submission.id).where('
     'Submission.form_id == filters.form)))',
     '        stmt = stmt'),
    ("number: letters' case matters", QUERIES, 'search',
     '    number = query.upper()',
     '    number = query'),
    ('number: old numbers not looked at', QUERIES, 'search',
     'select(CaseNumber.case_id).where(CaseNumber.number == number)',
     'select(Case.id).where(Case.number == number)'),
    ('number search dropped', QUERIES, 'search',
     '        stmt = stmt.where(case.id.in_(numbered(filters.query)))',
     '        stmt = stmt'),
    ('name: no hyphen', QUERIES, 'search',
     'WORD_GAPS = (" ", "-")',
     'WORD_GAPS = (" ",)'),
    ('name: inside a word', QUERIES, 'search',
     '*(name.contains(gap + text, autoescape=True) for gap in WORD_GAPS))',
     'name.contains(text, autoescape=True))'),
    ("name: only the whole name's start", QUERIES, 'search',
     '*(name.contains(gap + text, autoescape=True) for gap in WORD_GAPS))',
     'name.startswith(text, autoescape=True))'),
    ('name: wildcards unescaped', QUERIES, 'search',
     '    return or_(name.startswith(text, autoescape=True),',
     '    return or_(name.startswith(text),'),
    ("name search: other departments' cases", QUERIES, 'another_department',
     '.where(Case.department == scope.department)\n            .cte(',
     '\n            .cte('),
    ('deadline: latest first', QUERIES, 'deadline',
     'order_by(case.due_on.asc().nulls_last(), case.id.asc())',
     'order_by(case.due_on.desc().nulls_last(), case.id.asc())'),
    ('deadline: none first', QUERIES, 'deadline',
     'order_by(case.due_on.asc().nulls_last(), case.id.asc())',
     'order_by(case.due_on.asc().nulls_first(), case.id.asc())'),
    ('oldest: newest', QUERIES, 'deadline',
     'order_by(case.created_at.asc(), case.id.asc())',
     'order_by(case.created_at.desc(), case.id.asc())'),
    ('default order of mine: newest', QUERIES, 'deadline',
     'return self.sort or ("deadline" if self.view in ("mine", "overdue") else "newest")',
     'return self.sort or "newest"'),
    ('page offset one page on', QUERIES, 'pages',
     '.offset((filters.page - 1) * per_page)',
     '.offset(filters.page * per_page)'),
    ('no extra row: never a next page', QUERIES, 'pages',
     '.limit(per_page + 1).offset(',
     '.limit(per_page).offset('),
    ('count not capped at the cap', QUERIES, 'counts',
     '.limit(COUNT_CAP + 1)',
     '.limit(COUNT_CAP)'),
    ('count of mine under another view', QUERIES, 'counts',
     'capped_count(filtered(filters, scope, case, view))',
     'capped_count(filtered(filters, scope, case))'),
    ('supplemented: any move', QUERIES, 'supplemented',
     'return cls(answered_last([last_move] if last_move else []), bool(delayed))',
     'return cls(bool(last_move), bool(delayed))'),
    ('delayed: another action', QUERIES, 'supplemented',
     'CaseEvent.action == "case.delay")\n               .limit(1)',
     'CaseEvent.action == "case.note")\n               .limit(1)'),
    ('unknown view accepted', QUERIES, 'bad_address',
     '    view = pick("view", VIEWS,',
     '    view = pick("view", {args.get("view", "")} | set(VIEWS),'),
    ('unknown state accepted', QUERIES, 'bad_address',
     '    state = pick("state", {OPEN, *choices.states},',
     '    state = pick("state", {OPEN, args.get("state", ""), *choices.states},'),
    ('ISO dates not read', QUERIES, 'filters_by or checked',
     'for pattern in ("%d.%m.%Y", "%Y-%m-%d"):',
     'for pattern in ("%d.%m.%Y",):'),
    ('dates not swapped', QUERIES, 'checked',
     '        received.reverse()\n',
     ''),
    ('page=-1 not ignored', QUERIES, 'bad_address',
     '    page = page if 1 <= page <= MAX_PAGE else 1',
     '    page = page if page <= MAX_PAGE else 1'),
    ('workload: closed counted as open', QUERIES, 'head',
     'capped_count(base.where(holder, open_condition(scope)))',
     'capped_count(base.where(holder))'),
    ('workload: overdue = open', QUERIES, 'head',
     'capped_count(base.where(holder, Case.due_on < scope.today))',
     'capped_count(base.where(holder, open_condition(scope)))'),
    ('page past the last: no 404', VIEW, 'pages',
     '    if not rows and filters.page > 1:\n        abort(404)\n',
     ''),
    ('has next from the page size', VIEW, 'pages',
     'counts[filters.view], len(rows) > per_page)',
     'counts[filters.view], len(rows) >= per_page)'),
    ('due soon: 2 working days', VIEW, 'flags',
     'DUE_SOON_DAYS = 3',
     'DUE_SOON_DAYS = 2'),
    ('overdue flag from today', PAGE, 'flags',
     '{% if case.due_on < today %}',
     '{% if case.due_on <= today %}'),
    ('due soon flag: not the last day', PAGE, 'flags',
     '{% elif case.due_on <= soon_until %}',
     '{% elif case.due_on < soon_until %}'),
    ('tabs drop the filters', PAGE, 'pages',
     "url_for('clerk.inbox', **filters.args(view=name, page=1))",
     "url_for('clerk.inbox', view=name)"),
    ('next page drops the filters', PAGE, 'pages',
     "url_for('clerk.inbox', **filters.args(page=page.page + 1))",
     "url_for('clerk.inbox', page=page.page + 1)"),
    ("head's link shown to clerks", PAGE, 'head',
     '{% if current_user.has_role("head") %}<p><a href',
     '{% if true %}<p><a href'),
]


def pytest(*extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv/bin/python"), "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                           "tests/web/test_inbox.py", *extra], cwd=ROOT, capture_output=True, text=True, timeout=900)


def main(only: list[str]) -> None:
    results = []
    for name, path, first, old, new in MUTANTS:
        if only and name not in only:
            continue
        file = ROOT / path
        original = file.read_text(encoding="utf-8")
        assert original.count(old) == 1, (name, original.count(old))
        file.write_text(original.replace(old, new), encoding="utf-8")
        try:
            run = pytest("-k", first)
            if run.returncode == 0:
                run = pytest()
        finally:
            file.write_text(original, encoding="utf-8")
        failed = [line.split(" - ")[0].removeprefix("FAILED ") for line in run.stdout.splitlines()
                  if line.startswith("FAILED")]
        results.append({"mutant": name, "verdict": "killed" if run.returncode else "SURVIVED", "by": failed[:1]})
        print(json.dumps(results[-1], ensure_ascii=False), flush=True)
    print(f"{sum(r['verdict'] == 'killed' for r in results)} of {len(results)} killed")


if __name__ == "__main__":
    main(sys.argv[1:])
