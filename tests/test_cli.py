"""The ``flexsecure`` command's conventions: version, help, stdin and stdout, formats,
locales, exit statuses and quiet broken pipes; ``pack check`` and ``pack show``."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

import flexsecure as fs
from flexsecure.cli import build_parser, main
from flexsecure.i18n.locales import from_environment, negotiate

SAMPLE = (
    resources.files("flexsecure.jurisdictions.cn")
    .joinpath("samples")
    .joinpath("shanghai_rider_2025_09.json")
)


@pytest.fixture
def month_file(tmp_path: Path) -> Path:
    path = tmp_path / "month.json"
    path.write_text(SAMPLE.read_text("utf-8"), encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"flexsecure {fs.__version__}"


def test_help_is_plain_text_without_restructuredtext(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["statement", "--help"], ["pack", "show", "--help"]):
        assert main(argv) == 0
        text = capsys.readouterr().out
        assert "``" not in text
        assert ":class:" not in text
        assert ":mod:" not in text
    parser = build_parser()
    assert parser.epilog is not None
    assert "Exit status" in parser.epilog


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["statement", "x.json", "--format", "xml"]) == 2
    assert main(["statement", "x.json", "--locale", "not a locale!"]) == 2
    assert main(["statement", "/no/such/file.json"]) == 2
    err = capsys.readouterr().err
    assert "cannot read /no/such/file.json" in err
    assert "Traceback" not in err


def test_data_errors_exit_1(month_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    month_file.write_text("{not json", encoding="utf-8")
    assert main(["statement", str(month_file)]) == 1
    assert "not JSON" in capsys.readouterr().err
    month_file.write_text(json.dumps({"format": "flexsecure.month/1"}), encoding="utf-8")
    assert main(["statement", str(month_file)]) == 1
    assert main(["pack", "show", "CN", "pension.no_such"]) == 1
    assert main(["pack", "show", "CN", "pension.base_floor", "--region", "CN-XX"]) == 1
    err = capsys.readouterr().err
    assert "pension.no_such" in err
    assert "CN-XX" in err


def test_dash_reads_stdin_and_output_writes_a_file(
    month_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(month_file.read_text("utf-8")))
    out = tmp_path / "statement.json"
    assert main(["statement", "-", "--format", "json", "--output", str(out)]) == 0
    record = json.loads(out.read_text("utf-8"))
    assert record["format"] == "flexsecure.statement/1"
    assert record["totals"]["worker"] == "2238.00"


def test_a_failed_command_writes_no_file(month_file: Path, tmp_path: Path) -> None:
    month_file.write_text("[]", encoding="utf-8")
    out = tmp_path / "statement.json"
    assert main(["statement", str(month_file), "-o", str(out)]) == 1
    assert not out.exists()


def test_statement_as_csv(month_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The CSV lines add up to the statement's totals (the sample's worker pays 2238.00)."""
    assert main(["statement", str(month_file), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["currency"] for row in rows} == {"CNY"}
    worker = sum(fs.Money(row["amount"], "CNY") for row in rows if row["payer"] == "worker")
    assert worker == fs.Money("2238.00", "CNY")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh-Hans", "zh_CN"),
        ("zh_CN.UTF-8", "zh_CN"),
        ("zh", "zh_CN"),
        ("zh-SG", "zh_CN"),
        ("zh-TW", "en"),
        ("zh-Hant-HK", "en"),
        ("en-US", "en"),
        ("en_GB.UTF-8@euro", "en"),
        ("fr-FR", "en"),
    ],
)
def test_locale_negotiation(tag: str, expected: str) -> None:
    assert negotiate(tag) == expected


def test_locale_from_the_environment() -> None:
    assert from_environment({}) == "en"
    assert from_environment({"LANG": "zh_CN.UTF-8"}) == "zh_CN"
    assert from_environment({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}) == "en"
    assert from_environment({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_Hans_CN"}) == "zh_CN"
    assert from_environment({"LANG": "garbage!"}) == "en"


def test_locale_flag_and_lang(
    month_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["statement", str(month_file), "--locale", "zh-Hans-CN"]) == 0
    assert "缴费明细" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert main(["statement", str(month_file)]) == 0
    assert "缴费明细" in capsys.readouterr().out
    assert main(["statement", str(month_file), "--locale", "zh-TW"]) == 0
    assert "Contribution statement" in capsys.readouterr().out


# -- pack show / pack check ----------------------------------------------------------------


def test_pack_show_lists_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "show", "CN", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["parameter"] for row in rows} == set(fs.load_jurisdiction("CN").pack.parameters)


def test_pack_show_gives_dated_values_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """Shanghai's 2026-07 floor 7546 (SRC-SH-HRSS-2026, official) from the table, with its
    source listed under it."""
    args = ["pack", "show", "CN", "pension.base_floor", "--region", "CN-SH", "--locale", "zh-CN"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "上海市" in out
    assert "2026-07-01" in out
    assert "¥7,546.00" in out
    assert "SRC-SH-HRSS-2026: 上海市人力资源和社会保障局" in out
    assert main([*args[:6], "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    latest = next(row for row in rows if row["from"] == "2026-07-01")
    assert latest == {
        **latest,
        "region": "CN-SH",
        "value": "7546",
        "evidence": "official",
        "verified": True,
        "source": "SRC-SH-HRSS-2026",
    }
    assert all(row["region"] == "CN-SH" for row in rows)


def test_pack_check_a_good_pack(capsys: pytest.CaptureFixture[str]) -> None:
    source = resources.files("flexsecure.jurisdictions").joinpath("cn").joinpath("pack")
    with resources.as_file(source) as folder:
        assert main(["pack", "check", str(folder)]) == 0
    regions = len(fs.load_jurisdiction("CN").regions)
    assert f": ok — CN pack, {regions} regions" in capsys.readouterr().out


def test_pack_check_lists_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "jurisdiction.toml").write_text('extends = "CN"\ncolour = "red"\n', "utf-8")
    (tmp_path / "pension.toml").write_text(
        "[parameters.base_floor]\nvalues = [\n"
        '  { region = "CN-ZJ", effective_from = 2025-01-01, value = 4462.0,'
        ' source = "SRC-NOPE", evidence = "unverified", verified = false },\n]\n'
        "[scheme.coverage]\nCN-XX = 2025-01-01\n",
        encoding="utf-8",
    )
    assert main(["pack", "check", str(tmp_path), "--format", "json"]) == 1
    found = {(Path(row["file"]).name, row["key"]) for row in json.loads(capsys.readouterr().out)}
    assert found == {
        ("jurisdiction.toml", "colour"),
        ("pension.toml", "parameters.base_floor.values[0].value"),
        ("pension.toml", "parameters.base_floor.values[0].source"),
        ("pension.toml", "scheme.coverage.CN-XX"),
    }
    assert main(["pack", "check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.endswith(f"4 problems in {tmp_path}\n")


def test_pack_check_of_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pack", "check", str(tmp_path / "nowhere")]) == 1
    assert "is not a folder holding a rule pack" in capsys.readouterr().out


# -- as a process ----------------------------------------------------------------------------


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flexsecure", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "", "LANG": "zh_CN.UTF-8", "PYTHONIOENCODING": "utf-8"},
    )


def test_a_process_reads_stdin_and_follows_lang() -> None:
    done = run("statement", "-", stdin=SAMPLE.read_text("utf-8"))
    assert done.returncode == 0, done.stderr
    assert "缴费明细" in done.stdout


def test_a_closed_pipe_is_quiet() -> None:
    """``flexsecure pack show CN | head -0``: the reader is gone before the first write; no
    "Broken pipe", no traceback, status 0."""
    process = subprocess.Popen(
        [sys.executable, "-m", "flexsecure", "pack", "show", "CN", "pension.base_floor"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={"PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # before the interpreter has even started: its writes will fail
    status = process.wait(timeout=60)
    error = process.stderr.read().decode()
    process.stderr.close()
    assert (status, error) == (0, "")


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_broken_pipe_inside_main_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["pack", "show", "CN"]) == 0
    assert capsys.readouterr().err == ""


def test_a_process_never_shows_a_traceback() -> None:
    done = run("statement", "-", stdin='{"format": "flexsecure.month/1"}')
    assert done.returncode == 1
    assert done.stderr.startswith("flexsecure: ")
    assert "Traceback" not in done.stderr
