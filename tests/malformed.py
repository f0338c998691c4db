# mypy: disable-error-code="arg-type,operator,list-item,call-arg"
"""The malformed inputs of the regression suite (issue 8, item 6), and how each one ended.

Every case is a thunk that feeds one bad input to the public API, a record reader, the CLI or
the pack loader, and a fragment its error message must contain (the JSON path, the file and
key, or the argument): a typed, located error. :func:`outcome` classifies what happened, so
the suite can count raw Python exceptions (must be 0) and silent acceptances (must be those
listed in :data:`ACCEPTED`, each with the reason it is right).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import flexsecure as fs
from flexsecure.cli import main
from tests.test_transfers import LEGAL, SHANGHAI_YEARS, SIXTY, at_floor

Case = tuple[str, Callable[[], object], str]
"""(id, thunk, fragment the error message must contain)."""

CN = fs.load_jurisdiction("CN")
ON = dt.date(2025, 9, 1)
RIDER = fs.Worker(id="w-001", birth_date=dt.date(1995, 4, 12), sex="male", hukou_region="CN-SC")

ACCEPTED: dict[str, str] = {
    "cli:float": "an exact JSON number is read as a Decimal (6200.5 is 6200.50 exactly); "
    "only a Python float, which has already lost digits, is refused",
}
"""Cases that are accepted on purpose, with why."""


def sample_month() -> dict[str, Any]:
    text = (
        resources.files("flexsecure.jurisdictions.cn")
        .joinpath("samples", "shanghai_rider_2025_09.json")
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def _statement() -> fs.ContributionStatement:
    record = fs.records.month_from_record(sample_month(), "CNY")
    return CN.monthly_contributions(
        record.worker, record.engagements, record.month,
        enrolments=record.enrolments, platforms=record.platforms,
    )  # fmt: skip


def sample_records() -> dict[str, dict[str, Any]]:
    """One record of every format the library writes, as decoded JSON."""
    statement = _statement()
    worker = fs.records.month_from_record(sample_month(), "CNY").worker
    ledger = fs.Ledger.for_worker(worker).post(statement)
    months = [fs.Month(2025, m) for m in range(1, 13)]
    enrol = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)]
    year = fs.Ledger.for_worker(RIDER).post(
        *(CN.monthly_contributions(RIDER, [], month, enrolments=enrol) for month in months)
    )
    transfer = CN.quote_transfer(
        year, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1)
    )
    career = fs.Ledger.for_worker(SIXTY).post(*at_floor(SIXTY, "CN-SH", SHANGHAI_YEARS))
    link = CN.quote_scheme_link(
        career, resident_balance=fs.Money("8000.00", "CNY"), resident_months=60, on=LEGAL
    )
    remittance = CN.platform_remittance([statement], platform_id="food-co", month="2025-09")
    records = {
        "flexsecure.month/1": sample_month(),
        "flexsecure.statement/1": fs.records.statement_to_record(statement),
        "flexsecure.ledger/1": fs.records.ledger_to_record(ledger),
        "flexsecure.transfer/1": fs.records.transfer_to_record(transfer),
        "flexsecure.scheme_link/1": fs.records.scheme_link_to_record(link),
        "flexsecure.remittance/1": fs.records.remittance_to_record(remittance),
    }
    decoded: dict[str, dict[str, Any]] = json.loads(json.dumps(records))
    return decoded


def leaves(value: Any, path: str = "$") -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every (JSON path, key path) of ``value``'s scalars and empty containers."""

    def walk(node: Any, shown: str, keys: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        if isinstance(node, dict) and node:
            for key, child in node.items():
                yield from walk(child, f"{shown}.{key}", (*keys, key))
        elif isinstance(node, list) and node:
            for index, child in enumerate(node):
                yield from walk(child, f"{shown}[{index}]", (*keys, index))
        else:
            yield shown, keys

    yield from walk(value, path, ())


def objects(value: Any, path: str = "$") -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Every (JSON path, key path) of ``value``'s objects, itself first."""

    def walk(node: Any, shown: str, keys: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
        if isinstance(node, dict):
            yield shown, keys
            for key, child in node.items():
                yield from walk(child, f"{shown}.{key}", (*keys, key))
        elif isinstance(node, list):
            for index, child in enumerate(node):
                yield from walk(child, f"{shown}[{index}]", (*keys, index))

    yield from walk(value, path, ())


def _set(record: dict[str, Any], keys: tuple[Any, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    target: Any = changed
    for key in keys[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return changed


_DELETE = object()


def _reader(format: str) -> Callable[[Any], object]:
    def read(data: Any) -> object:
        if format == "flexsecure.month/1":  # read, then computed as the CLI does
            record = fs.records.month_from_record(data, "CNY")
            return CN.monthly_contributions(
                record.worker, record.engagements, record.month,
                enrolments=record.enrolments, platforms=record.platforms,
            )  # fmt: skip
        return fs.records.read(data)

    return read


def _bind(read: Callable[[Any], object], data: Any) -> Callable[[], object]:
    return lambda: read(data)


def record_cases() -> list[Case]:
    """Per format: a float at every leaf, an unknown key in every object, every key of the
    top-level object removed."""
    cases: list[Case] = []
    for format, record in sample_records().items():
        read = _reader(format)
        short = format.removeprefix("flexsecure.")
        for shown, keys in leaves(record):
            if not keys or keys[-1] == "format":
                continue
            bad = _set(record, keys, 12.5)
            cases.append((f"{short}:float:{shown}", _bind(read, bad), shown))
        for shown, keys in objects(record):
            if len(keys) > 4:
                continue
            bad = _set(record, (*keys, "unexpected"), "x") if keys else {**record, "unexpected": 1}
            cases.append((f"{short}:unknown:{shown}", _bind(read, bad), "unexpected"))
        for key in record:
            if format == "flexsecure.month/1" and key in ("platforms", "enrolments"):
                continue  # optional: a month without platforms or enrolments
            if format == "flexsecure.ledger/1" and key in ("worker", "dues"):
                continue  # optional: a ledger built without its worker, or without dues
            bad = _set(record, (key,), _DELETE)
            cases.append((f"{short}:missing:{key}", _bind(read, bad), f"$.{key}"))
    return cases


def _raises(thunk: Callable[[], object]) -> Callable[[], object]:
    return thunk


def api_cases() -> list[Case]:
    """Bad arguments to the public API."""
    ledger = fs.Ledger.for_worker(RIDER, currency="CNY")
    yuan = fs.Money("1.00", "CNY")
    cases: list[Case] = [
        ("money:none", lambda: fs.Money(None, "CNY"), "amount"),
        ("money:float", lambda: fs.Money(0.1, "CNY"), "float"),
        ("money:currency", lambda: fs.Money("1", "XXY"), "currency"),
        ("money:lowercase", lambda: fs.Money("1", "cny"), "currency"),
        ("money:nan", lambda: fs.Money(Decimal("NaN"), "CNY"), "finite"),
        ("money:huge", lambda: fs.Money(Decimal("1e40"), "CNY"), "10^15"),
        ("money:huge-int", lambda: fs.Money(10**20, "CNY"), "10^15"),
        ("money:places", lambda: fs.Money(Decimal("1e-40"), "CNY"), "decimal places"),
        ("money:fullwidth", lambda: fs.Money("１", "CNY"), "ASCII"),
        ("money:exponent", lambda: fs.Money("1e5", "CNY"), "ASCII"),
        ("money:long", lambda: fs.Money("1" * 1000, "CNY"), "ASCII"),
        ("money:add-int", lambda: yuan + 1, "Money"),
        ("money:mix", lambda: yuan + fs.Money("1", "SGD"), "currencies"),
        ("money:mul-float", lambda: yuan * 1.5, "Decimal"),
        ("money:div-zero", lambda: yuan / 0, "zero"),
        ("money:quantize-zero", lambda: yuan.quantize(Decimal(0)), "unit"),
        ("money:quantize-nan", lambda: yuan.quantize(Decimal("NaN")), "unit"),
        ("money:quantize-str", lambda: yuan.quantize("0.1"), "unit"),
        ("money:rounding", lambda: yuan.quantize(rounding="ceil"), "rounding"),
        ("money:allocate-empty", lambda: yuan.allocate([]), "weights"),
        ("money:allocate-negative", lambda: yuan.allocate([1, -1]), "weights[1]"),
        ("money:allocate-zero", lambda: yuan.allocate([0, 0]), "weights"),
        ("money:allocate-fraction", lambda: fs.Money("0.001", "CNY").allocate([1]), "quantize"),
        ("money:is-whole-zero", lambda: yuan.is_whole(Decimal(0)), "unit"),
        ("month:13", lambda: fs.Month.parse("2025-13"), "month"),
        ("month:short", lambda: fs.Month.parse("2025-9"), "month"),
        ("month:fullwidth", lambda: fs.Month.parse("２０２５-09"), "month"),
        ("month:none", lambda: fs.Month.parse(None), "month"),
        ("age:float", lambda: fs.Age(60.5), "Age"),
        ("worker:empty-id", lambda: fs.Worker(id="", birth_date=ON), "Worker.id"),
        ("worker:slash", lambda: fs.Worker(id="a/b", birth_date=ON), "Worker.id"),
        ("worker:newline", lambda: fs.Worker(id="a\nb", birth_date=ON), "Worker.id"),
        ("worker:zero-width", lambda: fs.Worker(id="a\u200db", birth_date=ON), "Worker.id"),
        ("worker:long-id", lambda: fs.Worker(id="a" * 300, birth_date=ON), "Worker.id"),
        ("worker:str-birth", lambda: fs.Worker(id="w", birth_date="1990-01-01"), "birth_date"),
        (
            "worker:datetime",
            lambda: fs.Worker(id="w", birth_date=dt.datetime(1990, 1, 1)),
            "birth_date",
        ),
        ("worker:future", lambda: fs.Worker(id="w", birth_date=dt.date(2100, 1, 1)), "birth_date"),
        ("worker:ancient", lambda: fs.Worker(id="w", birth_date=dt.date(1800, 1, 1)), "birth_date"),
        ("worker:sex", lambda: fs.Worker(id="w", birth_date=ON, sex="x"), "Worker.sex"),
        ("worker:fact", lambda: fs.Worker(id="w", birth_date=ON, shoe=1), "shoe"),
        (
            "worker:hukou",
            lambda: fs.Worker(id="w", birth_date=ON, hukou_region="XX"),
            "hukou_region",
        ),
        (
            "worker:category",
            lambda: fs.Worker(id="w", birth_date=ON, retirement_category="x"),
            "retirement_category",
        ),
        (
            "worker:category-sex",
            lambda: fs.Worker(id="w", birth_date=ON, sex="female", retirement_category="male"),
            "retirement_category",
        ),
        (
            "worker:id-type",
            lambda: fs.Worker(id="w", birth_date=ON, resident_id=123),
            "resident_id",
        ),
        (
            "worker:id-checksum",
            lambda: fs.Worker(
                id="w", birth_date=dt.date(1949, 12, 31), resident_id="110105194912310021"
            ),
            "resident id",
        ),
        (
            "worker:id-birth",
            lambda: fs.Worker(id="w", birth_date=ON, resident_id="11010519491231002X"),
            "birth date",
        ),
        ("rid:length", lambda: fs.ResidentId("123"), "18 characters"),
        ("rid:letters", lambda: fs.ResidentId("11010519491231002A"), "resident id"),
        ("rid:date", lambda: fs.ResidentId("110105194913310028"), "birth date"),
        (
            "rid:fullwidth",
            lambda: fs.ResidentId("１１０１０５１９４９１２３１００２X"),
            "resident id",
        ),
        (
            "engagement:orders",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p",
                industry="ride_hailing",
                region="CN-SH",
                month=fs.Month(2025, 9),
                earnings=yuan,
                orders=-1,
            ),
            "orders",
        ),
        (
            "engagement:bool-orders",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p",
                industry="ride_hailing",
                region="CN-SH",
                month=fs.Month(2025, 9),
                earnings=yuan,
                orders=True,
            ),
            "orders",
        ),
        (
            "engagement:region",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p",
                industry="ride_hailing",
                region="nowhere",
                month=fs.Month(2025, 9),
                earnings=yuan,
            ),
            "region",
        ),
        (
            "engagement:earnings",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p",
                industry="ride_hailing",
                region="CN-SH",
                month=fs.Month(2025, 9),
                earnings=-yuan,
            ),
            "earnings",
        ),
        (
            "engagement:fen",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p",
                industry="ride_hailing",
                region="CN-SH",
                month=fs.Month(2025, 9),
                earnings=fs.Money("1.005", "CNY"),
            ),
            "earnings",
        ),
        (
            "engagement:platform",
            lambda: fs.Engagement(
                worker_id="w",
                platform_id="p\x00",
                industry="ride_hailing",
                region="CN-SH",
                month=fs.Month(2025, 9),
                earnings=yuan,
            ),
            "platform_id",
        ),
        ("basechoice:grade", lambda: fs.BaseChoice.grade("６"), "grade"),
        (
            "basechoice:declared",
            lambda: fs.BaseChoice.declared(fs.Money("1.001", "CNY")),
            "declared",
        ),
        ("enrolment:region", lambda: fs.Enrolment(scheme="pension", region="x"), "region"),
        ("load:none", lambda: fs.load_jurisdiction(None), "source"),
        ("load:unknown", lambda: fs.load_jurisdiction("ZZ"), "ZZ"),
        ("load:missing", lambda: fs.load_jurisdiction(Path("/nonexistent/pack")), "folder"),
        ("parameter:none", lambda: CN.parameter(None, on=ON), "name"),
        ("parameter:unknown", lambda: CN.parameter("pension.nothing", on=ON), "pension.nothing"),
        ("parameter:region", lambda: CN.parameter("pension.base_floor", region="XX", on=ON), "XX"),
        ("parameter:date", lambda: CN.parameter("pension.base_floor", on="2025-01-01"), "on"),
        (
            "parameter:early",
            lambda: CN.parameter("pension.base_floor", region="CN-SH", on=dt.date(1900, 1, 1)),
            "pension.base_floor",
        ),
        (
            "statement:engagements-none",
            lambda: CN.monthly_contributions(RIDER, None, "2025-09"),
            "engagements",
        ),
        (
            "statement:enrolments-none",
            lambda: CN.monthly_contributions(RIDER, [], "2025-09", enrolments=None),
            "enrolments",
        ),
        (
            "statement:platforms-str",
            lambda: CN.monthly_contributions(RIDER, [], "2025-09", platforms="p"),
            "platforms",
        ),
        ("statement:month", lambda: CN.monthly_contributions(RIDER, [], "Sept"), "month"),
        ("statement:worker", lambda: CN.monthly_contributions("w", [], "2025-09"), "worker"),
        (
            "statement:enrol-twice",
            lambda: CN.monthly_contributions(
                RIDER,
                [],
                "2025-09",
                enrolments=[fs.Enrolment(scheme="pension", region="CN-SH")] * 2,
            ),
            "twice",
        ),
        (
            "statement:scheme",
            lambda: CN.monthly_contributions(
                RIDER, [], "2025-09", enrolments=[fs.Enrolment(scheme="pensoin", region="CN-SH")]
            ),
            "pensoin",
        ),
        (
            "statement:other-worker",
            lambda: CN.monthly_contributions(
                RIDER,
                [
                    fs.Engagement(
                        worker_id="x",
                        platform_id="p",
                        industry="ride_hailing",
                        region="CN-SH",
                        month=fs.Month(2025, 9),
                        earnings=yuan,
                    )
                ],
                "2025-09",
            ),
            "worker",
        ),
        (
            "statement:industry",
            lambda: CN.monthly_contributions(
                RIDER,
                [
                    fs.Engagement(
                        worker_id="w-001",
                        platform_id="p",
                        industry="mining",
                        region="CN-SH",
                        month=fs.Month(2025, 9),
                        earnings=yuan,
                    )
                ],
                "2025-09",
            ),
            "industry",
        ),
        ("verify:not-statement", lambda: CN.verify_statement("x"), "statement"),
        ("ledger:worker-id", lambda: fs.Ledger(worker_id=""), "worker_id"),
        ("ledger:apply-none", lambda: ledger.apply(None), "entries"),
        ("ledger:apply-int", lambda: ledger.apply([1]), "entries[0]"),
        ("ledger:post-str", lambda: ledger.post("x"), "statements[0]"),
        ("ledger:balance-scheme", lambda: ledger.balance("pensoin", "pooled"), "pensoin"),
        ("ledger:balance-fund", lambda: ledger.balance("pension", "pool"), "pool"),
        ("ledger:balance-none", lambda: ledger.balance(None, "pooled"), "scheme"),
        ("ledger:currency", lambda: fs.Ledger(worker_id="w", currency="XYZ"), "currency"),
        (
            "entry:kind",
            lambda: fs.LedgerEntry(
                id="a",
                kind="gift",
                worker_id="w",
                scheme="pension",
                region="CN-SH",
                month=None,
                booked_on=ON,
                funds={},
            ),
            "kind",
        ),
        (
            "entry:funds",
            lambda: fs.LedgerEntry(
                id="a",
                kind="adjustment",
                worker_id="w",
                scheme="pension",
                region="CN-SH",
                month=None,
                booked_on=ON,
                funds={"pooled": 1},
            ),
            "funds",
        ),
        (
            "entry:fen",
            lambda: fs.LedgerEntry(
                id="a",
                kind="adjustment",
                worker_id="w",
                scheme="pension",
                region="CN-SH",
                month=None,
                booked_on=ON,
                funds={"pooled": fs.Money("0.001", "CNY")},
            ),
            "funds",
        ),
        (
            "entry:id-newline",
            lambda: fs.LedgerEntry(
                id="a\nb",
                kind="adjustment",
                worker_id="w",
                scheme="pension",
                region="CN-SH",
                month=None,
                booked_on=ON,
                funds={},
            ),
            "LedgerEntry.id",
        ),
        (
            "entry:basis",
            lambda: fs.LedgerEntry(
                id="a",
                kind="adjustment",
                worker_id="w",
                scheme="pension",
                region="CN-SH",
                month=None,
                booked_on=ON,
                funds={},
                basis="x",
            ),
            "basis",
        ),
        ("interest:year", lambda: CN.credit_interest(ledger, "2025"), "year"),
        (
            "transfer:region",
            lambda: CN.quote_transfer(ledger, from_region="CN-XX", to_region="CN-SH", on=ON),
            "CN-XX",
        ),
        (
            "transfer:date",
            lambda: CN.quote_transfer(ledger, from_region="CN-SH", to_region="CN-SC", on="2025"),
            "on",
        ),
        ("reform:unknown", lambda: CN.with_reform("nothing"), "nothing"),
        ("reform:type", lambda: CN.with_reform(3), "reform"),
        ("payment:on", lambda: CN.payment_rules(payer="worker", region="CN-SH", on="x"), "on"),
        (
            "remittance:month",
            lambda: CN.platform_remittance([], platform_id="p", month="x"),
            "month",
        ),
        ("records:schema", lambda: fs.records.schema("flexsecure.nothing/1"), "format"),
        ("records:loads-bytes", lambda: fs.records.loads(b"\xff\xfe"), "UTF-8"),
        ("records:loads-deep", lambda: fs.records.loads("[" * 100000 + "]" * 100000), "nested"),
        (
            "records:loads-deep-object",
            lambda: fs.records.loads('{"a":' * 50 + "1" + "}" * 50),
            "nested",
        ),
        ("records:loads-nan", lambda: fs.records.loads('{"a": NaN}'), "NaN"),
        ("records:loads-dup", lambda: fs.records.loads('{"a": 1, "a": 2}'), "twice"),
        ("records:loads-text", lambda: fs.records.loads("{"), "line 1"),
        ("records:loads-type", lambda: fs.records.loads(3), "str or bytes"),
        ("records:read-list", lambda: fs.records.read("[]"), "$"),
        ("records:read-format", lambda: fs.records.read({"format": "x"}), "$.format"),
        (
            "records:read-month-code",
            lambda: fs.records.read({**sample_month(), "jurisdiction": "../x"}),
            "$.jurisdiction",
        ),
        ("records:verify-statement", lambda: fs.records.verify_statement({}), "$"),
        (
            "records:verify-transfer-ledger",
            lambda: fs.records.verify_transfer(sample_records()["flexsecure.transfer/1"], "x"),
            "ledger",
        ),
        (
            "records:verify-transfer-stale",
            lambda: fs.records.verify_transfer(sample_records()["flexsecure.transfer/1"], ledger),
            "$.",
        ),
        (
            "records:jurisdiction-path",
            lambda: fs.records.record_jurisdiction("/tmp", "$.jurisdiction"),
            "$.jurisdiction",
        ),
        ("records:dumps", lambda: fs.records.dumps({"a": object()}), "JSON"),
    ]
    return cases


def cli_cases(tmp: Path) -> list[Case]:
    """Bad files and options given to the ``flexsecure`` command: each must exit non-zero with
    a one-line message and no traceback (the fragment is looked for in stderr)."""
    good = json.dumps(sample_month())
    files = {
        "missing": None,
        "not-json": "{",
        "deep": "[" * 100000 + "]" * 100000,
        "float": good.replace('"6200.00"', "6200.5"),
        "nan": good.replace('"6200.00"', "NaN"),
        "latin1": good.encode("utf-8").replace(b"rider", b"\xe9\xe9").decode("latin-1"),
        "folder-jurisdiction": good.replace('"CN"', '"/tmp"'),
        "unknown-jurisdiction": good.replace('"CN"', '"ZZ"'),
        "unknown-key": good.replace('"orders"', '"order"'),
        "list": "[]",
    }
    cases: list[Case] = []
    for name, text in files.items():
        path = tmp / f"{name}.json"
        if text is not None:
            if name == "latin1":
                path.write_bytes(text.encode("latin-1"))
            else:
                path.write_text(text, encoding="utf-8")
        cases.append((f"cli:{name}", _cli(["statement", str(path)]), "flexsecure:"))
    folder = tmp / "a-folder.json"
    folder.mkdir(exist_ok=True)
    ok = tmp / "ok.json"
    ok.write_text(good, encoding="utf-8")
    cases += [
        ("cli:folder", _cli(["statement", str(folder)]), "flexsecure:"),
        ("cli:pack-missing", _cli(["statement", str(ok), "--pack", str(tmp / "nope")]), "folder"),
        ("cli:pack-file", _cli(["statement", str(ok), "--pack", str(ok)]), "folder"),
        ("cli:reform", _cli(["statement", str(ok), "--reform", "nothing"]), "nothing"),
    ]
    return cases


class CliFailed(fs.FlexsecureError):
    """The CLI exited non-zero with the message (a stand-in, so CLI cases classify alike)."""


def _cli(argv: list[str]) -> Callable[[], object]:
    def run() -> object:
        err, out = io.StringIO(), io.StringIO()
        with redirect_stderr(err), redirect_stdout(out):
            code = main(argv)
        message = err.getvalue()
        if code != 0:
            if "Traceback" in message or not message.startswith("flexsecure:"):
                raise RuntimeError(f"exit {code} with {message!r}")
            raise CliFailed(message)
        return code

    return run


def pack_cases(tmp: Path) -> list[Case]:
    """Malformed packs: each a copy of the bundled one with one thing wrong."""
    bundled = Path(str(resources.files("flexsecure.jurisdictions.cn").joinpath("pack")))

    def copy_pack(name: str, change: Callable[[Path], object]) -> Case:
        folder = tmp / f"pack-{name}"
        folder.mkdir()
        for file in ("jurisdiction.toml", "pension.toml", "medical.toml"):
            (folder / file).write_bytes((bundled / file).read_bytes())
        (folder / "occupational_injury.toml").write_bytes(
            (bundled / "occupational_injury.toml").read_bytes()
        )
        text = (folder / "jurisdiction.toml").read_text("utf-8")
        lines = [
            'schemes = ["pension", "medical", "occupational_injury"]'
            if line.startswith("schemes")
            else line
            for line in text.splitlines()
        ]
        (folder / "jurisdiction.toml").write_text("\n".join(lines) + "\n", "utf-8")
        change(folder)
        return (f"pack:{name}", lambda: fs.load_jurisdiction(folder), str(folder))

    def edit(file: str, old: str, new: str) -> Callable[[Path], object]:
        def change(folder: Path) -> None:
            text = (folder / file).read_text("utf-8")
            assert old in text, (file, old)
            (folder / file).write_text(text.replace(old, new, 1), "utf-8")

        return change

    def write(file: str, data: bytes) -> Callable[[Path], object]:
        return lambda folder: (folder / file).write_bytes(data)

    def link(file: str, target: str) -> Callable[[Path], object]:
        return lambda folder: (folder / file).symlink_to(target)

    outside = tmp / "outside.toml"
    outside.write_text("[parameters]\n", "utf-8")
    cases = [
        copy_pack("no-main", lambda f: (f / "jurisdiction.toml").unlink()),
        copy_pack("syntax", write("extra.toml", b"x = = 1\n")),
        copy_pack("encoding", write("extra.toml", b"x = '\xff'\n")),
        copy_pack("unknown-key", write("extra.toml", b"colour = 1\n")),
        copy_pack("deep-array", write("extra.toml", b"x = " + b"[" * 3000 + b"]" * 3000)),
        copy_pack("deep-table", write("extra.toml", b"[" + b".".join([b"a"] * 40) + b"]\n")),
        copy_pack("big", write("extra.toml", b"#" + b"x" * (5 * 1024 * 1024))),
        copy_pack("folder", lambda f: (f / "x.toml").mkdir()),
        copy_pack("link-out", link("extra.toml", str(outside))),
        copy_pack("broken-link", link("extra.toml", str(tmp / "nothing.toml"))),
        copy_pack("currency", edit("jurisdiction.toml", 'currency = "CNY"', 'currency = "XYZ"')),
        copy_pack("floor-above", edit("pension.toml", 'value = "7460"', 'value = "99999"')),
        copy_pack("template", edit("occupational_injury.toml", "{industry}", "{industry.x}")),
        copy_pack("template-format", edit("occupational_injury.toml", "{industry}", "{0:>99999}")),
        copy_pack("scheme-missing", lambda f: (f / "medical.toml").unlink()),
        copy_pack("rate-text", edit("pension.toml", 'value = "0.08"', 'value = "eight"')),
    ]
    if hasattr(os, "mkfifo"):
        cases.append(copy_pack("fifo", lambda f: os.mkfifo(f / "extra.toml")))
    if Path("/dev/zero").exists():
        cases.append(copy_pack("device", link("extra.toml", "/dev/zero")))
    reforms_out = tmp / "reforms-out"
    reforms_out.mkdir()
    cases.append(copy_pack("reforms-link", link("reforms", str(reforms_out))))
    return cases


RAW, SILENT, UNLOCATED, TYPED = "raw exception", "silent acceptance", "unlocated", "typed"


def outcome(case: Case) -> tuple[str, str]:
    """How ``case`` ended: (RAW | SILENT | UNLOCATED | TYPED, detail)."""
    _, thunk, fragment = case
    try:
        thunk()
    except fs.FlexsecureError as error:
        message = str(error)
        return (TYPED if fragment in message else UNLOCATED), message
    except Exception as error:
        return RAW, f"{type(error).__name__}: {error}"
    return SILENT, "accepted"
