"""The trust boundary (issue 8): each test is one finding of the "Why" list, tried as a hostile
or careless counterparty would, that failed before the boundary was built."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pickle
import sys
import threading
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import flexsecure as fs
from flexsecure import jurisdiction as facade
from flexsecure.cli import main
from flexsecure.jurisdictions.cn.records import transfer_from_record, transfer_to_record
from flexsecure.records.months import month_from_record, statement_from_record, statement_to_record
from tests.test_transfers import PACK, shanghai_2025

CN = fs.load_jurisdiction("CN")
ON = dt.date(2026, 1, 1)


def sample() -> dict[str, Any]:
    text = (
        resources.files("flexsecure.jurisdictions.cn")
        .joinpath("samples", "shanghai_rider_2025_09.json")
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def sample_statement() -> fs.ContributionStatement:
    record = month_from_record(sample(), "CNY")
    return CN.monthly_contributions(
        record.worker, record.engagements, record.month,
        enrolments=record.enrolments, platforms=record.platforms,
    )  # fmt: skip


def transfer_record() -> tuple[fs.Ledger, dict[str, Any]]:
    ledger = shanghai_2025()
    quote = CN.quote_transfer(ledger, from_region="CN-SH", to_region="CN-SC", on=ON)
    return ledger, json.loads(json.dumps(transfer_to_record(quote)))


# -- an edited transfer record creates money --------------------------------------------------


def test_an_edited_transfer_in_amount_is_refused() -> None:
    """Setting one transfer_in fund to 999999.99 used to raise the balance from 7,125.12 to
    999,999.99; now the entries must cancel and match the quote computed on the same ledger."""
    ledger, record = transfer_record()
    entry = next(e for e in record["entries"] if e["kind"] == "transfer_in")
    entry["funds"]["individual_account"] = "999999.99"
    with pytest.raises(fs.RecordMismatch, match=r"\$\.entries \(fund individual_account\)"):
        fs.records.verify_transfer(record, ledger)
    with pytest.raises(fs.RecordMismatch):
        transfer_from_record(record)


def test_a_consistent_edit_of_a_transfer_is_caught_by_quoting_again() -> None:
    """Out, in and move edited together cancel, but the rules give another amount."""
    ledger, record = transfer_record()
    for entry in record["entries"]:
        if entry["kind"] in ("transfer_in", "transfer_out"):
            sign = "-" if entry["kind"] == "transfer_out" else ""
            entry["funds"]["individual_account"] = f"{sign}999999.99"
    record["move"]["individual_account"] = "999999.99"
    with pytest.raises(fs.RecordMismatch, match=r"\$\.move\.individual_account"):
        fs.records.verify_transfer(record, ledger)


def test_a_transfer_record_without_its_move_or_with_an_edited_move_is_refused() -> None:
    ledger, record = transfer_record()
    with pytest.raises(fs.RecordMismatch, match=r"\$\.move"):
        transfer_from_record({**record, "move": None})
    edited = copy.deepcopy(record)
    edited["move"]["individual_account"] = "1.00"
    with pytest.raises(fs.RecordMismatch, match=r"\$\.move\.individual_account"):
        fs.records.verify_transfer(edited, ledger)


def test_a_transfer_read_from_a_record_does_not_execute_until_verified() -> None:
    ledger, record = transfer_record()
    with pytest.raises(fs.TransferError, match="verify"):
        transfer_from_record(record).execute()
    moved = ledger.apply(fs.records.verify_transfer(record, ledger).execute())
    assert moved.balance("pension", "individual_account", region="CN-SC") == fs.Money(
        "7182.99", "CNY"
    )


# -- Ledger.post trusts statement lines ---------------------------------------------------------


def _edited(change: Any) -> fs.ContributionStatement:
    record = json.loads(json.dumps(statement_to_record(sample_statement())))
    change(record)
    return statement_from_record(record)


def _line0(record: dict[str, Any], amount: str, base: str | None = None) -> None:
    line = record["lines"][0]
    line["amount"] = amount
    line["funds"] = {"individual_account": amount, "pooled": "0.00"}
    if base is not None:
        line["base"] = base
    total = sum(Decimal(x["amount"]) for x in record["lines"] if x["payer"] == "worker")
    record["totals"]["worker"] = str(total)


def test_a_line_of_a_million_on_a_7460_base_is_not_posted() -> None:
    statement = _edited(lambda r: _line0(r, "1000000.00"))
    ledger = fs.Ledger(worker_id=statement.worker_id)
    with pytest.raises(fs.InvalidInput, match=r"verify the statement first"):
        ledger.post(statement)
    with pytest.raises(fs.RecordMismatch, match=r"\$\.lines\[0\]\.(funds|amount)"):
        CN.verify_statement(statement)


def test_negative_amounts_and_bases_are_refused() -> None:
    with pytest.raises(fs.InvalidInput, match=r"\$\.lines\[0\]"):
        _edited(lambda r: _line0(r, "-596.80"))
    with pytest.raises(fs.InvalidInput, match=r"\$\.lines\[0\]\.base"):
        _edited(lambda r: r["lines"][0].update(base="-7460"))


def test_a_line_in_region_nowhere_is_refused() -> None:
    with pytest.raises(fs.InvalidInput, match=r"\$\.lines\[0\]\.region"):
        _edited(lambda r: r["lines"][0].update(region="nowhere"))
    statement = _edited(lambda r: r["lines"][0].update(region="CN-XJ"))
    with pytest.raises(fs.FlexsecureError, match=r"\$\.lines\[0\]"):
        CN.verify_statement(statement)


def test_totals_that_disagree_with_the_lines_are_refused() -> None:
    with pytest.raises(fs.RecordMismatch, match=r"\$\.totals\.worker"):
        _edited(lambda r: r["totals"].update(worker="1.00"))


def test_a_verified_record_posts_like_the_computed_statement() -> None:
    statement = sample_statement()
    record = json.loads(json.dumps(statement_to_record(statement)))
    verified = fs.records.verify_statement(record)
    worker = month_from_record(sample(), "CNY").worker
    assert fs.Ledger.for_worker(worker).post(verified) == fs.Ledger.for_worker(worker).post(
        statement
    )


# -- the stale-quote guard ----------------------------------------------------------------------


@pytest.mark.parametrize("container", [list, tuple, lambda x: [*reversed(list(x))][::-1]])
def test_the_stale_guard_holds_whatever_container_carries_the_entries(container: Any) -> None:
    ledger = shanghai_2025()
    quote = CN.quote_transfer(ledger, from_region="CN-SH", to_region="CN-SC", on=ON)
    later = CN.credit_interest(ledger, 2024, assumed_rate=Decimal("0.02"))
    opening = fs.LedgerEntry(
        id="adjustment/w-001/late", kind="adjustment", worker_id=ledger.worker_id,
        scheme="pension", region="CN-SH", month=None, booked_on=dt.date(2025, 12, 31),
        funds={"individual_account": fs.Money("1.00", "CNY")},
    )  # fmt: skip
    moved_on = (later if later != ledger else ledger).apply([opening])
    with pytest.raises(fs.TransferError, match="stale"):
        moved_on.apply(container(quote.execute()))
    assert ledger.apply(container(quote.execute())) == ledger.apply(quote.execute())


# -- a record names the pack folder -------------------------------------------------------------


def test_a_record_cannot_name_the_folder_to_load(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)  # a loadable pack: the record must still not choose it
    data = sample()
    data["jurisdiction"] = str(folder)
    file = tmp_path / "month.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    assert (
        main(["statement", str(file)]) == 1
    )  # a data error (exit codes: 0 ok, 1 data or rule, 2 usage)


def test_the_cli_takes_a_pack_only_from_the_pack_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = Path(str(resources.files("flexsecure.jurisdictions.cn").joinpath("pack")))
    file = tmp_path / "month.json"
    file.write_text(json.dumps(sample()), encoding="utf-8")
    assert main(["statement", str(file), "--pack", str(bundled), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["worker"] == "2238.00"
    other = sample()
    other["jurisdiction"] = "SG"
    file.write_text(json.dumps(other), encoding="utf-8")
    assert main(["statement", str(file), "--pack", str(bundled)]) == 1
    assert "$.jurisdiction" in capsys.readouterr().err


def _pack_copy(tmp_path: Path) -> Path:
    bundled = Path(str(resources.files("flexsecure.jurisdictions.cn").joinpath("pack")))
    folder = tmp_path / "pack"
    folder.mkdir()
    for name in ("jurisdiction.toml", "pension.toml", "medical.toml", "occupational_injury.toml"):
        (folder / name).write_bytes((bundled / name).read_bytes())
    text = (folder / "jurisdiction.toml").read_text("utf-8")
    schemes = 'schemes = ["pension", "medical", "occupational_injury"]'
    lines = [schemes if line.startswith("schemes") else line for line in text.splitlines()]
    (folder / "jurisdiction.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_copied_pack_loads(tmp_path: Path) -> None:
    assert fs.load_jurisdiction(_pack_copy(tmp_path)).code == "CN"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_pack_does_not_hang_it(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    os.mkfifo(folder / "retirement.toml")
    with pytest.raises(fs.PackError, match=r"retirement\.toml: \(file\): is not a regular file"):
        fs.load_jurisdiction(folder)


def test_a_topic_file_linked_to_a_device_or_outside_the_pack_is_refused(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    outside = tmp_path / "elsewhere.toml"
    outside.write_text("[parameters]\n", encoding="utf-8")
    (folder / "extra.toml").symlink_to(outside)
    with pytest.raises(fs.PackError, match=r"extra\.toml: \(file\): is a symbolic link out"):
        fs.load_jurisdiction(folder)
    (folder / "extra.toml").unlink()
    if Path("/dev/zero").exists():
        (folder / "zero.toml").symlink_to("/dev/zero")
        with pytest.raises(fs.PackError, match=r"zero\.toml"):
            fs.load_jurisdiction(folder)


def test_a_folder_named_like_a_topic_file_is_refused(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    (folder / "x.toml").mkdir()
    with pytest.raises(fs.PackError, match=r"x\.toml: \(file\): is not a regular file"):
        fs.load_jurisdiction(folder)


def test_deeply_nested_and_oversized_pack_files_are_refused(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    (folder / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", "utf-8")
    with pytest.raises(fs.PackError, match=r"deep\.toml: \(nesting\)"):
        fs.load_jurisdiction(folder)
    (folder / "deep.toml").write_text("[" + ".".join(["a"] * 40) + "]\n", "utf-8")
    with pytest.raises(fs.PackError, match=r"deep\.toml: \(nesting\)"):
        fs.load_jurisdiction(folder)
    (folder / "deep.toml").write_bytes(b"# " + b"x" * (5 * 1024 * 1024) + b"\n")
    with pytest.raises(fs.PackError, match=r"deep\.toml: \(size\)"):
        fs.load_jurisdiction(folder)


def test_a_floor_above_the_ceiling_is_refused(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    text = (folder / "pension.toml").read_text("utf-8")
    text = text.replace('value = "7460"', 'value = "99999"', 1)
    (folder / "pension.toml").write_text(text, "utf-8")
    with pytest.raises(fs.PackError, match=r"pension\.toml: scheme\.base_floor: .* is above"):
        fs.load_jurisdiction(folder)


def test_pack_templates_are_a_closed_substitution(tmp_path: Path) -> None:
    folder = _pack_copy(tmp_path)
    text = (folder / "occupational_injury.toml").read_text("utf-8")
    assert "{industry}" in text
    bad = text.replace("{industry}", "{industry.__class__}", 1)
    (folder / "occupational_injury.toml").write_text(bad, "utf-8")
    with pytest.raises(fs.PackError, match=r"closed substitution"):
        fs.load_jurisdiction(folder)
    src = Path(fs.__file__).parent
    for path in src.rglob("*.py"):
        assert "format_map(pack" not in path.read_text("utf-8")


# -- unknown keys are silently dropped ------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "good", "bad"),
    [(("engagements", 1), "orders", "order"), ((), "enrolments", "enrolment")],
)
def test_a_misspelt_key_is_an_error(where: tuple[Any, ...], good: str, bad: str) -> None:
    data = sample()
    target: Any = data
    for key in where:
        target = target[key]
    target[bad] = target.pop(good)
    with pytest.raises(fs.InvalidInput, match=rf"\.{bad}: unknown key"):
        month_from_record(data, "CNY")


# -- money beyond 28 digits, and inputs accepted silently ----------------------------------------


def test_money_beyond_the_supported_magnitude_is_refused() -> None:
    with pytest.raises(fs.InvalidInput, match="below 10\\^15"):
        fs.Money("1234567890123456789012345678.91", "CNY")
    biggest = fs.Money("999999999999999.99", "CNY")
    assert (biggest + fs.Money("0.01", "CNY")).amount == Decimal("1000000000000000.00")
    with pytest.raises(fs.InvalidInput):
        fs.Money("1e40", "CNY")


@pytest.mark.parametrize("text", ["１２.30", "12.30\n", "٣", "1_000", "1e3", " 1"])
def test_money_strings_are_ascii_decimals(text: str) -> None:
    with pytest.raises(fs.InvalidInput, match="ASCII digits"):
        fs.Money(text, "CNY")


@pytest.mark.parametrize("bad", ["w\n1", "w\u200b1", "w\x001", "w\u202e1"])
def test_ids_refuse_control_and_invisible_characters(bad: str) -> None:
    with pytest.raises(fs.InvalidInput, match="control or invisible"):
        fs.Worker(id=bad, birth_date=dt.date(1990, 1, 1))


def test_a_repeated_engagement_is_not_billed_twice() -> None:
    record = month_from_record(sample(), "CNY")
    with pytest.raises(fs.InvalidInput, match=r"engagements\[2\] repeats engagements\[0\]"):
        CN.monthly_contributions(
            record.worker, [*record.engagements, record.engagements[0]], record.month
        )


def test_earnings_of_fractions_of_a_fen_and_births_in_2100_are_refused() -> None:
    with pytest.raises(fs.InvalidInput, match="whole number of minor units"):
        fs.Engagement(
            worker_id="w", platform_id="p", industry="ride_hailing", region="CN-SH",
            month=fs.Month(2025, 9), earnings=fs.Money("9000.005", "CNY"),
        )  # fmt: skip
    with pytest.raises(fs.InvalidInput, match="birth_date"):
        fs.Worker(id="w", birth_date=dt.date(2100, 1, 1))


def test_a_misspelt_scheme_in_balance_is_an_error() -> None:
    with pytest.raises(fs.InvalidInput, match="no scheme 'pensoin'"):
        shanghai_2025().balance("pensoin", "individual_account")


def test_full_width_digits_in_a_resident_id_are_refused() -> None:
    with pytest.raises(fs.InvalidInput):
        fs.ResidentId("１１０１０５１９４９１２３１００２X")


# -- resident ids are weakly masked ----------------------------------------------------------------

ID = "11010519491231002X"


def test_repr_never_shows_the_masked_id_beside_the_birth_date() -> None:
    worker = fs.Worker(id="w", birth_date=dt.date(1949, 12, 31), resident_id=ID)
    assert fs.ResidentId(ID).masked not in repr(worker)
    assert "1949" not in repr(fs.ResidentId(ID))


def test_pickles_never_hold_the_full_id() -> None:
    worker = fs.Worker(id="w", birth_date=dt.date(1949, 12, 31), resident_id=ID)
    assert ID.encode() not in pickle.dumps(worker)
    with pytest.raises(fs.InvalidInput, match="does not pickle"):
        pickle.dumps(fs.ResidentId(ID))
    assert copy.deepcopy(fs.ResidentId(ID)) == fs.ResidentId(ID)


def test_errors_carry_no_part_of_the_id_beyond_the_mask() -> None:
    for given in (ID, ID[:-1] + "0", "11010519491331002X", ID + "1"):
        for birth in (dt.date(1950, 1, 1), dt.date(1949, 12, 31)):
            try:
                fs.Worker(id="w", birth_date=birth, resident_id=given)
            except fs.InvalidInput as error:
                message = str(error)
                assert given[6:16] not in message
                assert "1949" not in message


# -- thread safety ---------------------------------------------------------------------------------


def test_the_bundled_jurisdiction_loads_once_under_contention(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    real = facade.load_pack  # type: ignore[attr-defined]

    def slow_load(source: Any) -> Any:
        calls.append(1)
        threading.Event().wait(0.05)
        return real(source)

    monkeypatch.setattr(facade, "load_pack", slow_load)
    monkeypatch.setattr(facade, "_BUNDLED", {}, raising=False)
    if hasattr(facade._bundled, "cache_clear"):  # the cache before the lock
        facade._bundled.cache_clear()
    start = threading.Barrier(8)
    results: list[fs.Jurisdiction] = []

    def load() -> None:
        start.wait()
        results.append(fs.load_jurisdiction("CN"))

    threads = [threading.Thread(target=load) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(results) == 8
    assert all(result is results[0] for result in results)


def test_one_pack_serves_many_threads_with_the_same_results() -> None:
    statement = sample_statement()
    record = month_from_record(sample(), "CNY")
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        found: list[fs.ContributionStatement] = []

        def compute() -> None:
            for _ in range(20):
                found.append(
                    CN.monthly_contributions(
                        record.worker,
                        record.engagements,
                        record.month,
                        enrolments=record.enrolments,
                        platforms=record.platforms,
                    )
                )

        CN.pack._memo.clear()
        threads = [threading.Thread(target=compute) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert len(found) == 120
    assert all(result == statement for result in found)
    assert PACK is CN.pack
