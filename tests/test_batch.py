"""The batch engine's own behaviour: worked examples, bad rows, files, chunks, the CLI."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

import flexsecure as fs  # noqa: E402
from flexsecure import batch  # noqa: E402
from flexsecure.cli import main  # noqa: E402

CN = fs.load_jurisdiction("CN")
PENSION = [fs.Enrolment(scheme="pension", region="CN-SH")]
COLUMNS = ("worker_id", "platform_id", "industry", "region", "month", "earnings", "orders")
SEPTEMBER = [
    ("w-001", "ride-co", "ride_hailing", "CN-SH", "2025-09", "6200.00", 410),
    ("w-001", "food-co", "instant_delivery", "CN-SH", "2025-09", "2100.50", 233),
]


def table(rows: list[tuple[Any, ...]]) -> Any:
    return pa.table({c: [r[i] for r in rows] for i, c in enumerate(COLUMNS)})


def yuan(text: str) -> Decimal:
    return Decimal(text)


def test_shanghai_floor_2025_09() -> None:
    """CN.md §1.5 "Shanghai 2025 floor": base 7460 → 1492.00, 596.80 to the account; injury
    premiums 410 × 0.01 and 233 × 0.07 (人社部发〔2025〕24号 benchmarks, SRC-OIP-CQ)."""
    lines = batch.contributions(CN, table(SEPTEMBER), enrolments=PENSION).lines.to_pylist()
    pension, ride, food = lines
    assert (pension["scheme"], pension["payer"], pension["base"]) == (
        "pension",
        "worker",
        yuan("7460"),
    )
    assert (pension["amount"], pension["fund_individual_account"]) == (
        yuan("1492.00"),
        yuan("596.80"),
    )
    assert pension["fund_pooled"] == yuan("895.20")
    assert (ride["platform_id"], ride["premium"], ride["amount"]) == (
        "ride-co",
        yuan("0.01"),
        yuan("4.10"),
    )
    assert (food["orders"], food["amount"]) == (233, yuan("16.31"))


def test_beijing_fixed_medical_amount_in_a_population() -> None:
    """京人社发〔2025〕11号 三 (SRC-BJ-MED-2025): a Beijing flexible employee pays 584.92 a month
    for medical insurance whatever base they chose; the batch line has no base, the amount
    as its rate, and equals the per-object line. A Shanghai worker in the same run pays 10 %
    (SRC-SH-HRSS-FLEX) of earnings 9000, inside the 2025 band 7460 … 37302: 900.00."""
    rows = [
        ("w-bj", "ride-co", "ride_hailing", "CN-BJ", "2025-09", "9000.00", 0),
        ("w-sh", "ride-co", "ride_hailing", "CN-SH", "2025-09", "9000.00", 0),
    ]
    enrolments = pa.table(
        {
            "worker_id": ["w-bj", "w-sh"],
            "scheme": ["medical", "medical"],
            "region": ["CN-BJ", "CN-SH"],
            "base": ["earnings", "earnings"],
        }
    )
    beijing, shanghai = batch.contributions(
        CN, table(rows), enrolments=enrolments
    ).lines.to_pylist()
    assert (beijing["base"], beijing["rate"], beijing["amount"]) == (
        None,
        yuan("584.92"),
        yuan("584.92"),
    )
    assert beijing["fund_pooled"] == yuan("584.92")
    assert (shanghai["base"], shanghai["amount"]) == (yuan("9000.00"), yuan("900.00"))
    worker = fs.Worker(
        id="w-bj",
        birth_date=fs.Month(1990, 1).first_day,
        sex=fs.Sex.MALE,
        hukou_region="CN-BJ",
        retirement_category=fs.RetirementCategory.MALE,
    )
    enrolment = fs.Enrolment(scheme="medical", region="CN-BJ", base=fs.BaseChoice.EARNINGS)
    (line,) = CN.monthly_contributions(worker, [], fs.Month(2025, 9), enrolments=[enrolment]).lines
    fixed = fs.Money("584.92", "CNY")
    assert (line.base, line.rate, line.amount) == (None, fixed, fixed)


def test_platform_cofunding_apportions_by_earnings() -> None:
    """platform_cofunding scenario: platforms pay 16 % of the base 8300.50 = 1328.08,
    6200 : 2100.50 → 992.00 and 336.08 (largest remainder, Money.allocate)."""
    reformed = CN.with_reform("platform_cofunding")
    enrolment = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS)]
    result = batch.contributions(reformed, table(SEPTEMBER), enrolments=enrolment)
    platform = {
        r["platform_id"]: r["amount"]
        for r in result.lines.to_pylist()
        if r["scheme"] == "pension" and r["payer"] == "platform"
    }
    assert platform == {"food-co": yuan("336.08"), "ride-co": yuan("992.00")}
    by_worker = result.by_worker().to_pylist()
    assert by_worker == [
        {
            "worker_id": "w-001",
            "month": "2025-09",
            "worker": yuan("664.04"),
            "platform": yuan("1348.49"),
        }
    ]


def test_bad_rows_raise_naming_row_and_column() -> None:
    rows = [*SEPTEMBER, ("w-002", "food-co", "instant_delivery", "CN-XX", "2025-09", "1.00", 1)]
    with pytest.raises(fs.InvalidInput, match=r"engagements row 2, column 'region'"):
        batch.contributions(CN, table(rows), enrolments=PENSION)


def test_collect_returns_good_rows_and_the_rejected_ones() -> None:
    rows = [
        *SEPTEMBER,
        ("w-002", "food-co", "instant_delivery", "CN-SH", "2025-09", "12.345", 3),
        ("w-002", "ride-co", "ride_hailing", "CN-SH", "2025-09", "10.00", 3),
        ("w-003", "food/co", "instant_delivery", "CN-SH", "2025-13", "1.00", -1),
    ]
    result = batch.contributions(CN, table(rows), enrolments=PENSION, errors="collect")
    assert {r["worker_id"] for r in result.lines.to_pylist()} == {"w-001"}
    rejected = result.rejected.to_pylist()
    by_row: dict[int, list[dict[str, Any]]] = {}
    for record in rejected:
        by_row.setdefault(record["row"], []).append(record)
    assert sorted(by_row) == [2, 3, 4]
    assert by_row[2][0]["column"] == "earnings"
    assert by_row[2][0]["value"] == "12.345"
    assert "refused" in by_row[3][0]["reason"]  # its worker-month has a bad row
    assert {r["column"] for r in rejected if r["row"] == 4} <= {"platform_id", "month", "orders"}


@pytest.mark.parametrize("layout", ["in order", "shuffled"])
def test_integer_worker_ids_below_zero_or_missing_are_bad_rows(layout: str) -> None:
    """Integer ids are checked while the rows are grouped: a negative or missing id is a bad
    row naming the column, whether the rows come in worker order or not; the others are
    computed."""
    ids = [3, 7, -4, None, 9] if layout == "in order" else [9, -4, 3, None, 7]
    engagements = pa.table(
        {
            "worker_id": pa.array(ids, pa.int64()),
            "platform_id": ["ride-co"] * 5,
            "industry": ["ride_hailing"] * 5,
            "region": ["CN-SH"] * 5,
            "month": ["2025-09"] * 5,
            "earnings": ["6200.00"] * 5,
            "orders": [10] * 5,
        }
    )
    result = batch.contributions(CN, engagements, enrolments=PENSION, errors="collect")
    bad = [position for position, worker in enumerate(ids) if worker is None or worker < 0]
    rejected = result.rejected.to_pylist()
    assert [(r["row"], r["column"]) for r in rejected] == [(row, "worker_id") for row in bad]
    assert all(r["reason"] == "is missing or negative" for r in rejected)
    assert sorted(set(result.lines["worker_id"].to_pylist())) == [3, 7, 9]
    with pytest.raises(fs.InvalidInput, match=rf"engagements row {bad[0]}, column 'worker_id'"):
        batch.contributions(CN, engagements, enrolments=PENSION)


@pytest.mark.parametrize("index_type", [pa.int8(), pa.int32()])
@pytest.mark.parametrize("order", ["pack order", "reversed", "one industry"])
def test_dictionary_columns_give_the_same_lines_as_text(order: str, index_type: Any) -> None:
    """Dictionary-encoded text columns (as Parquet files and the benchmark give them) are
    read through their dictionaries — in the pack's order (their indices used as they are,
    narrow), in another order with unused entries, or one value for the whole chunk — and
    give the lines of plain text columns."""
    industries = list(CN.pack.industries)
    chosen = industries[:1] if order == "one industry" else industries[:3]
    rows = [
        (f"w-{i:03d}", "ride-co", chosen[i % len(chosen)], "CN-SH", f"2025-0{6 + i % 2}",
         f"{3000 + 137 * i}.00", i % 7)
        for i in range(40)
    ]  # fmt: skip
    plain = table(rows)
    dictionary = list(reversed(industries)) if order == "reversed" else industries

    def encoded(name: str, values: list[str]) -> Any:
        column = plain.column(name).to_pylist()
        return pa.DictionaryArray.from_arrays(
            pa.array([values.index(v) for v in column], index_type), pa.array(values)
        )

    columns = {name: plain.column(name) for name in COLUMNS}
    columns["industry"] = encoded("industry", dictionary)
    labels = ["2025-05", "2025-06", "2025-07"]  # the months' bounds come with the reading
    columns["month"] = encoded("month", labels[::-1] if order == "reversed" else labels)
    columns["region"] = encoded("region", ["CN-SH"])
    dictionaries = pa.table(columns)
    expected = batch.contributions(CN, plain, enrolments=PENSION).lines.to_pylist()
    result = batch.contributions(CN, dictionaries, enrolments=PENSION)
    got = result.lines.to_pylist()
    assert got == expected
    assert result.by_worker() == batch.contributions(CN, plain, enrolments=PENSION).by_worker()
    assert {line["industry"] for line in got if line["industry"]} == set(chosen)


def test_floats_are_refused() -> None:
    floats = table(SEPTEMBER).set_column(5, "earnings", pa.array([6200.0, 2100.5]))
    with pytest.raises(fs.InvalidInput, match="floats cannot hold it exactly"):
        batch.contributions(CN, floats)


def test_pandas_in_and_out() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(SEPTEMBER, columns=list(COLUMNS))
    frame["earnings"] = [Decimal(v) for v in frame["earnings"]]
    result = batch.contributions(CN, frame, enrolments=PENSION)
    assert result.to_pandas()["amount"].sum() == yuan("1512.41")


def test_a_basis_the_engine_does_not_implement_is_named() -> None:
    pack = CN.pack
    scheme = attrs.evolve(pack.schemes["pension"], basis=cast(Any, "cpf_platform_earnings"))
    odd = fs.Jurisdiction(attrs.evolve(pack, schemes={**pack.schemes, "pension": scheme}))
    with pytest.raises(fs.RuleNotFound, match="'cpf_platform_earnings' of scheme 'pension'"):
        batch.contributions(odd, table(SEPTEMBER), enrolments=PENSION)
    injury = attrs.evolve(pack.schemes["occupational_injury"], basis=cast(Any, "per_hour"))
    odd = fs.Jurisdiction(
        attrs.evolve(pack, schemes={**pack.schemes, "occupational_injury": injury})
    )
    with pytest.raises(fs.RuleNotFound, match="'per_hour' of scheme 'occupational_injury'"):
        batch.contributions(odd, table(SEPTEMBER))


def test_singapore_cpf_is_named_not_left_out() -> None:
    """Singapore's CPF applies without an enrolment on a basis the engine does not have: the
    call must fail naming it, never return a population without its CPF lines."""
    sg = fs.load_jurisdiction("SG")
    rows = [("p-1", "op-a", "ride_hailing", "SG", "2026-05", "2000.00", 0)]
    with pytest.raises(fs.RuleNotFound, match="'cpf_platform_earnings' of scheme 'cpf'"):
        batch.contributions(sg, table(rows))


def test_the_core_imports_without_the_extras() -> None:
    code = "import sys, flexsecure; sys.exit(bool({'numpy', 'pyarrow'} & set(sys.modules)))"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# -- files, chunks, processes ------------------------------------------------------------


def population(workers: int = 60) -> Any:
    rows = []
    for number in range(workers):
        for month in ("2025-06", "2025-07"):
            for platform, industry in (
                ("ride-co", "ride_hailing"),
                ("food-co", "instant_delivery"),
            ):
                units = (number * 7919 + len(month) * 31 + len(platform)) % 900_000
                rows.append(
                    (
                        f"w-{number:03d}",
                        platform,
                        industry,
                        "CN-SH",
                        month,
                        f"{units / 100:.2f}",
                        number,
                    )
                )
    return table(rows)


def write(engagements: Any, folder: Path, kind: str) -> Path:
    path = folder / f"engagements.{kind}"
    with batch.TableWriter(path) as writer:
        writer.write(engagements)
    return path


@pytest.mark.parametrize("kind", ["csv", "jsonl", "parquet"])
def test_files_streamed_in_chunks_give_the_same_lines(tmp_path: Path, kind: str) -> None:
    engagements = population()
    whole = batch.contributions(CN, engagements, enrolments=PENSION).lines
    path = write(engagements, tmp_path, kind)
    chunks = list(batch.read_engagements(path, chunk_rows=7))
    assert len(chunks) > 1
    streamed = [r.lines for r in batch.stream_contributions(CN, chunks, enrolments=PENSION)]
    assert pa.concat_tables(streamed).to_pylist() == whole.to_pylist()


@pytest.mark.parametrize(
    ("labels", "pieces"), [(("2025-06", "2025-07"), 2), (("2025-07", " 2025-07"), 1)]
)
def test_a_chunk_across_a_change_of_month_is_computed_month_by_month(
    monkeypatch: pytest.MonkeyPatch, labels: tuple[str, str], pieces: int
) -> None:
    """A chunk whose rows run from one month into the next (a month-by-month export) is
    computed as two, one per month, with the same lines, totals and row numbers as the
    chunk computed whole; two labels of the same month are not cut apart (a worker-month
    would be split)."""
    from flexsecure.batch import stream

    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 1)  # the real threshold is 65,536 rows
    rows = [
        (f"w-{n:03d}", "ride-co", "ride_hailing", "CN-SH", label, f"{4000 + 97 * n + i}.00", n)
        for i, label in enumerate(labels)
        for n in range(30)
    ]
    rows[45] = (*rows[45][:5], "x", 1)  # a bad row in the second month
    plain = table(rows)
    month = pa.DictionaryArray.from_arrays(
        pa.array([0] * 30 + [1] * 30, pa.int32()), pa.array(list(labels))
    )
    engagements = plain.set_column(plain.column_names.index("month"), "month", month)
    whole = batch.contributions(CN, plain, enrolments=PENSION, errors="collect")
    results = list(
        batch.stream_contributions(CN, [engagements], enrolments=PENSION, errors="collect")
    )
    assert len(results) == pieces
    lines = pa.concat_tables([r.lines for r in results]).to_pylist()
    assert lines == whole.lines.to_pylist()
    by_worker = pa.concat_tables([r.by_worker() for r in results]).to_pylist()
    assert by_worker == whole.by_worker().to_pylist()
    rejected = pa.concat_tables([r.rejected for r in results]).to_pylist()
    assert rejected == whole.rejected.to_pylist()
    assert (45, "earnings") in [(r["row"], r["column"]) for r in rejected]


@pytest.mark.parametrize("given", ["dated enrolments", "platforms table"])
def test_a_chunk_with_tables_of_enrolments_or_platforms_is_not_cut_by_month(
    monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    """An enrolment dated in the first month would put its worker-month in both pieces (the
    second computing it again without its earnings), and a table's bad rows would be
    reported by each piece: with such tables a chunk stays whole."""
    from flexsecure.batch import stream

    monkeypatch.setattr(stream, "SPLIT_AT_LEAST", 1)
    labels = ["2025-08", "2025-09"]
    rows = [
        (f"w-{n:03d}", "ride-co", "ride_hailing", "CN-SH", label, f"{9000 + n}.00", n + 1)
        for label in labels
        for n in range(20)
    ]
    plain = table(rows)
    month = pa.DictionaryArray.from_arrays(
        pa.array([0] * 20 + [1] * 20, pa.int32()), pa.array(labels)
    )
    engagements = plain.set_column(plain.column_names.index("month"), "month", month)
    options: dict[str, Any] = {"enrolments": PENSION}
    if given == "dated enrolments":
        options["enrolments"] = pa.table(
            {
                "worker_id": ["w-001"],
                "scheme": ["pension"],
                "region": ["CN-SH"],
                "month": ["2025-08"],
                "base": ["earnings"],
            }
        )
    else:
        options["platforms"] = pa.table({"platform_id": ["ride-co", " bad"]})
    whole = batch.contributions(CN, plain, errors="collect", **options)
    results = list(batch.stream_contributions(CN, [engagements], errors="collect", **options))
    assert len(results) == 1
    assert results[0].lines.to_pylist() == whole.lines.to_pylist()
    assert results[0].by_worker().to_pylist() == whole.by_worker().to_pylist()
    assert results[0].rejected.to_pylist() == whole.rejected.to_pylist()
    if given == "platforms table":  # the bad id is the platforms table's row, named once
        rejected = [(r["table"], r["row"], r["column"]) for r in whole.rejected.to_pylist()]
        assert rejected == [("platforms", 1, "platform_id")]


def test_rejected_rows_keep_their_number_in_the_file(tmp_path: Path) -> None:
    # five workers with SEPTEMBER's two engagements (one worker's identical orders given
    # twice would be refused as billed twice), then a bad row
    rows = [(f"w-00{k}", *row[1:]) for k in range(5) for row in SEPTEMBER]
    rows.append(("w-009", "food-co", "instant_delivery", "CN-SH", "2025-09", "x", 1))
    path = write(table(rows), tmp_path, "csv")
    chunks = batch.read_engagements(path, chunk_rows=3)
    results = list(batch.stream_contributions(CN, chunks, errors="collect"))
    rejected = pa.concat_tables([r.rejected for r in results]).to_pylist()
    assert [(r["row"], r["column"]) for r in rejected] == [(10, "earnings")]


def test_the_same_orders_given_twice_refuse_their_worker_month() -> None:
    """As the per-object path does: identical engagements with orders in one worker-month
    would bill the same orders twice, so that worker-month is refused, naming both rows."""
    rows = [*SEPTEMBER, SEPTEMBER[0], ("w-002", *SEPTEMBER[0][1:])]
    result = batch.contributions(CN, table(rows), errors="collect")
    rejected = result.rejected.to_pylist()
    assert [(r["row"], r["column"]) for r in rejected] == [
        (0, "orders"),
        (1, "orders"),
        (2, "orders"),
    ]
    assert "given twice" in rejected[0]["reason"]
    assert set(result.lines["worker_id"].to_pylist()) == {"w-002"}
    with pytest.raises(fs.InvalidInput, match="given twice"):
        batch.contributions(CN, table(rows))


def test_process_pool_totals_equal_one_process() -> None:
    engagements = population(40)
    reformed = CN.with_reform("platform_cofunding")
    one = batch.contributions(reformed, engagements, enrolments=PENSION)
    totals = batch.contributions_in_processes(
        reformed, engagements.to_batches(max_chunksize=50), enrolments=PENSION, processes=2
    )
    assert totals.by_payer().to_pylist() == one.by_payer().to_pylist()
    assert totals.by_platform_region().to_pylist() == one.by_platform_region().to_pylist()


def test_cli_csv_to_parquet_of_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(population(10), tmp_path, "csv")
    out = tmp_path / "lines.parquet"
    status = main(["batch", str(path), "--output", str(out), "--enrol", "pension:CN-SH:earnings"])
    assert status == 0
    lines = pq.read_table(out)
    expected = batch.contributions(
        CN,
        population(10),
        enrolments=[fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS)],
    ).lines
    assert lines.num_rows == expected.num_rows
    assert sum(lines["amount"].to_pylist(), Decimal(0)) == sum(
        expected["amount"].to_pylist(), Decimal(0)
    )
    assert "worker-months" in capsys.readouterr().err


def test_cli_aggregates_and_rejects(tmp_path: Path) -> None:
    rows = [*SEPTEMBER, ("w-2", "food-co", "instant_delivery", "CN-SH", "2025-09", "x", 1)]
    path = write(table(rows), tmp_path, "csv")
    out, rejected = tmp_path / "payer.csv", tmp_path / "rejected.jsonl"
    status = main(
        [
            "batch",
            str(path),
            "--output",
            str(out),
            "--aggregate",
            "payer",
            "--quiet",
            "--errors",
            "collect",
            "--rejected",
            str(rejected),
            "--enrol",
            "pension:CN-SH",
        ]
    )
    assert status == 0
    assert "worker,pension" in out.read_text().replace('"', "")
    assert '"row": 2' in rejected.read_text()
    assert main(["batch", str(path), "--output", str(out), "--quiet"]) == 1  # bad data: exit 1


@pytest.mark.parametrize(
    "choice", [fs.BaseChoice.EARNINGS, fs.BaseChoice.FLOOR, fs.BaseChoice.grade("1.5")]
)
def test_everyone_enrolled_alike_equals_the_same_enrolments_per_worker(
    choice: fs.BaseChoice,
) -> None:
    """The shortcut for one enrolment list for all (bases shared by schemes on one band)."""
    engagements = population(30)
    schemes = ("pension", "medical")
    alike = [fs.Enrolment(scheme=s, region="CN-SH", base=choice) for s in schemes]
    workers = sorted(set(engagements["worker_id"].to_pylist()))
    grade = str(choice.fraction) if choice.fraction is not None else None
    per_worker = pa.table(
        {
            "worker_id": [w for w in workers for _ in schemes],
            "scheme": [s for _ in workers for s in schemes],
            "region": ["CN-SH"] * (2 * len(workers)),
            "base": [choice.kind.value] * (2 * len(workers)),
            "grade": pa.array([grade] * (2 * len(workers)), pa.string()),
        }
    )
    for jurisdiction in (CN, CN.with_reform("platform_cofunding")):
        one = batch.contributions(jurisdiction, engagements, enrolments=alike)
        other = batch.contributions(jurisdiction, engagements, enrolments=per_worker)
        assert one.lines.to_pylist() == other.lines.to_pylist()
        assert one.by_worker().to_pylist() == other.by_worker().to_pylist()
