"""Firm names, phone numbers and addresses for the CRM's customer master (客户档案), and
the ways a duplicate record of the same firm is typed differently.

Customers in east and southeast Asia get Chinese names (core of two syllables + trade
word + 有限公司, with the city in front or in full-width brackets); customers elsewhere
get English names. A duplicate differs from the original in one documented way
(``VARIANTS``): a dropped or shortened legal suffix, half-width vs full-width
characters, a typo (a homophone character or swapped letters), the English (pinyin)
name of a Chinese firm, another phone format, another address format.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crmlab._schema import REGIONS

# syllables of Chinese firm-name cores with their pinyin, and homophones for typos
_SYLLABLES = {
    "华": "Hua", "新": "Xin", "恒": "Heng", "盛": "Sheng", "源": "Yuan", "泰": "Tai",
    "达": "Da", "利": "Li", "丰": "Feng", "隆": "Long", "鑫": "Xin", "宏": "Hong",
    "嘉": "Jia", "德": "De", "通": "Tong", "远": "Yuan", "海": "Hai", "金": "Jin",
    "瑞": "Rui", "祥": "Xiang", "昌": "Chang", "安": "An", "永": "Yong", "信": "Xin",
    "荣": "Rong", "富": "Fu", "明": "Ming", "光": "Guang", "天": "Tian", "成": "Cheng",
    "兴": "Xing", "益": "Yi", "正": "Zheng", "和": "He", "东": "Dong", "南": "Nan",
    "中": "Zhong", "美": "Mei", "佳": "Jia", "万": "Wan", "福": "Fu", "顺": "Shun",
    "乐": "Le", "洲": "Zhou", "星": "Xing", "博": "Bo", "凯": "Kai", "启": "Qi",
}  # fmt: skip
_HOMOPHONE = {
    "华": "化", "新": "心", "盛": "胜", "达": "大", "利": "力", "丰": "峰", "隆": "龙",
    "鑫": "新", "宏": "洪", "嘉": "佳", "德": "得", "通": "同", "源": "元", "泰": "太",
    "瑞": "锐", "祥": "详", "昌": "长", "安": "按", "永": "勇", "信": "讯", "荣": "融",
    "富": "付", "明": "铭", "光": "广", "天": "田", "成": "诚", "兴": "星", "益": "意",
    "正": "政", "和": "合", "东": "冬", "南": "楠", "中": "忠", "美": "每", "佳": "家",
    "万": "湾", "福": "富", "顺": "舜", "乐": "勒", "洲": "州", "星": "兴", "博": "搏",
    "凯": "恺", "启": "起", "恒": "衡", "远": "元", "海": "每", "金": "今",
}  # fmt: skip
_TRADE = {
    "贸易": "Trading", "商贸": "Commerce", "进出口": "Import & Export", "实业": "Industrial",
    "电子": "Electronics", "机械": "Machinery", "百货": "Department Store",
    "供应链": "Supply Chain", "家居": "Home Products", "纺织": "Textiles",
}  # fmt: skip
# cities by region (Chinese-named regions) with pinyin/English, phone country code, streets
_CN_CITIES = {
    0: [("香港", "Hong Kong", "852"), ("台北", "Taipei", "886"), ("首尔", "Seoul", "82"),
        ("东京", "Tokyo", "81"), ("澳门", "Macau", "853")],
    1: [("新加坡", "Singapore", "65"), ("吉隆坡", "Kuala Lumpur", "60"),
        ("曼谷", "Bangkok", "66"), ("雅加达", "Jakarta", "62"),
        ("胡志明市", "Ho Chi Minh City", "84")],
}  # fmt: skip
_CN_STREETS = ["中山路", "人民路", "海滨道", "皇后大道", "商业街", "建设路", "和平路", "滨海大道"]
_EN_FIRST = [
    "Atlas", "Nordic", "Pacific", "Golden", "Summit", "Harbor", "Crown", "Falcon", "Meridian",
    "Orion", "Sterling", "Vertex", "Coastal", "Pioneer", "Northstar", "Silverline", "Evergreen",
    "Bluewater", "Redwood", "Sunrise", "Keystone", "Liberty", "Oakmont", "Riverside",
]  # fmt: skip
_EN_SECOND = [
    "Trading", "Imports", "Supply", "Distribution", "Retail", "Electronics", "Home Goods",
    "Textiles", "Industrial", "Commerce",
]  # fmt: skip
# other regions: (suffix, long suffix) and cities with phone codes
_EN_SUFFIX = {
    2: ("Ltd", "Limited"), 3: ("Inc", "Incorporated"), 4: ("LLC", "L.L.C."), 5: ("Ltd", "Limited"),
}  # fmt: skip
_EN_CITIES = {
    2: [("Hamburg", "49"), ("Rotterdam", "31"), ("Milan", "39"), ("Lyon", "33"), ("Leeds", "44")],
    3: [("Chicago", "1"), ("Houston", "1"), ("Toronto", "1"), ("Atlanta", "1"), ("Seattle", "1")],
    4: [("Dubai", "971"), ("Riyadh", "966"), ("Doha", "974"), ("Muscat", "968")],
    5: [("Lagos", "234"), ("Nairobi", "254"), ("Accra", "233"), ("Durban", "27")],
}  # fmt: skip
_EN_STREETS = ["Harbour Road", "Market Street", "King Street", "Park Avenue", "Station Road"]


def _en_base(code: int) -> str:
    """The English name (before the legal suffix) of code ``code``: first, middle and
    second word; a word drawn twice is written once."""
    n_first, n_second = len(_EN_FIRST), len(_EN_SECOND)
    first, middle = code // (n_first * n_second), (code // n_second) % n_first
    words = (_EN_FIRST[first], _EN_FIRST[middle], _EN_SECOND[code % n_second])
    return " ".join(dict.fromkeys(words))


# lookup tables of every core (two syllables), trade word, English name and city
_SYL = list(_SYLLABLES)
_CORES = [a + b for a in _SYL for b in _SYL]  # code c: syllables c // 48 and c % 48
_TRADE_WORDS = list(_TRADE)
_EN_BASES = [_en_base(c) for c in range(len(_EN_FIRST) ** 2 * len(_EN_SECOND))]


def _cities(region: int) -> list[tuple]:
    return _CN_CITIES[region] if region <= 1 else _EN_CITIES[region]


# a firm's city at row region x 5 + city code (0-4, wrapping round a shorter list)
_CITY = [_cities(r)[k % len(_cities(r))] for r in range(len(REGIONS)) for k in range(5)]


def _text(values: list[str]) -> pa.Array:
    return pa.array(values, type=pa.string())


_CORE_TEXT, _TRADE_TEXT = _text(_CORES), _text(_TRADE_WORDS)
_EN_BASE_TEXT = _text(_EN_BASES)
_EN_SHORT = _text([_EN_SUFFIX[r][0] if r in _EN_SUFFIX else "" for r in range(len(REGIONS))])
_CITY_TEXT = _text([c[0] for c in _CITY])
_CITY_PHONE = _text([c[-1] for c in _CITY])
_CN_STREET_TEXT, _EN_STREET_TEXT = _text(_CN_STREETS), _text(_EN_STREETS)


def _join(*parts) -> pa.Array:
    """Arrow string columns (or single strings) joined row by row."""
    return pc.binary_join_element_wise(*parts, "")


def _full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as full-width characters (全角)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _half_width(text: str) -> str:
    """Full-width brackets as half-width ones."""
    return text.replace("（", "(").replace("）", ")")


class FirmNames:
    """Draws the master data of ``n`` firms in ``region`` (codes) with ``rng``.

    :meth:`originals` types every firm's own record at once (no draws); :meth:`name`,
    :meth:`phone` and :meth:`address` type one record in a variant, drawing from ``rng``
    where the variant needs it (called one by one, in record order, for the duplicates).
    """

    def __init__(self, rng: np.random.Generator, region: np.ndarray):
        self.rng, self.region = rng, region
        n = region.size
        n_core = len(_CORES)
        # distinct cores and trade words where the space allows (names differ per firm)
        space = n_core * len(_TRADE_WORDS)
        code = rng.choice(space, n, replace=n > space)
        self.core_code, self.trade_code = code % n_core, code // n_core
        self.city = rng.integers(0, 5, n)
        self.bracket = rng.random(n) < 0.5
        n_first, n_second = len(_EN_FIRST), len(_EN_SECOND)
        space_en = n_first**2 * n_second
        self.code_en = rng.choice(space_en, n, replace=n > space_en)
        self.number = rng.integers(1_000_000, 99_999_999, n)
        self.street = rng.integers(0, 8, n)
        self.house = rng.integers(1, 400, n)
        self.city_row = region * 5 + self.city  # row of ``_CITY``

    def _cn(self, i: int) -> bool:
        return self.region[i] <= 1

    def _city(self, i: int) -> tuple:
        return _CITY[self.city_row[i]]

    def originals(self) -> tuple[pa.Array, pa.Array, pa.Array]:
        """Name, phone and address of every firm's own record (variant ``original``), as
        Arrow strings: the same text as :meth:`name`, :meth:`phone` and :meth:`address`
        give one by one, built from lookup tables and joined column by column."""
        cn = pa.array(self.region <= 1)
        city = _CITY_TEXT.take(self.city_row)  # Chinese for Chinese-named regions
        # Chinese names: city in front, or in full-width brackets after core + trade
        core = _CORE_TEXT.take(self.core_code)
        trade = _TRADE_TEXT.take(self.trade_code)
        cn_name = pc.if_else(
            pa.array(self.bracket),
            _join(core, trade, "（", city, "）有限公司"),
            _join(city, core, trade, "有限公司"),
        )
        en_name = _join(_EN_BASE_TEXT.take(self.code_en), " ", _EN_SHORT.take(self.region))
        name = pc.if_else(cn, cn_name, en_name)
        # phones: +code head tail, the digits split in half (7 digits: 3 + 4)
        digits = pc.cast(pa.array(self.number), pa.string())
        eight = pc.equal(pc.utf8_length(digits), 8)
        head = pc.if_else(
            eight, pc.utf8_slice_codeunits(digits, 0, 4), pc.utf8_slice_codeunits(digits, 0, 3)
        )
        tail = pc.if_else(
            eight, pc.utf8_slice_codeunits(digits, 4), pc.utf8_slice_codeunits(digits, 3)
        )
        phone = _join("+", _CITY_PHONE.take(self.city_row), " ", head, " ", tail)
        # addresses: 中山路12号 with the city in front, or 12 Market Street, Leeds
        house = pc.cast(pa.array(self.house), pa.string())
        cn_address = _join(city, _CN_STREET_TEXT.take(self.street), house, "号")
        en_street = _EN_STREET_TEXT.take(self.street % len(_EN_STREETS))
        en_address = _join(house, " ", en_street, ", ", city)
        return name, phone, pc.if_else(cn, cn_address, en_address)

    def name(self, i: int, variant: str = "original") -> str:
        """The firm's name as typed in one record."""
        if self._cn(i):
            city = self._city(i)[0]
            core, trade = _CORES[self.core_code[i]], _TRADE_WORDS[self.trade_code[i]]
            if variant == "typo":
                k = int(self.rng.integers(0, 2))
                core = core[:k] + _HOMOPHONE[core[k]] + core[k + 1 :]
            if variant == "english_name":
                py = "".join(_SYLLABLES[ch] for ch in core)
                py = py[0] + py[1:].lower()
                return f"{self._city(i)[1]} {py} {_TRADE[trade]} Co., Ltd."
            suffix = "有限公司"
            if variant == "suffix":
                suffix = ["公司", ""][int(self.rng.integers(0, 2))]
            if self.bracket[i]:
                name = f"{core}{trade}（{city}）{suffix}"
            else:
                name = f"{city}{core}{trade}{suffix}"
            return _half_width(name) if variant == "width" else name
        short, long = _EN_SUFFIX[self.region[i]]
        base = _EN_BASES[self.code_en[i]]
        if variant == "typo":
            k = int(self.rng.integers(1, len(base) - 2))
            base = base[:k] + base[k + 1] + base[k] + base[k + 2 :]
        if variant == "suffix":
            return f"{base} {long}"
        if variant == "width":
            return _full_width(f"{base} {short}")
        return f"{base} {short}"

    def phone(self, i: int, variant: str = "original", number: int | None = None) -> str:
        """The phone number as typed: ``+852 2345 6789`` or another format."""
        code = self._city(i)[-1]
        digits = str(self.number[i] if number is None else number)
        head, tail = digits[: len(digits) // 2], digits[len(digits) // 2 :]
        if variant == "phone_format":
            return [f"({code}) {head}-{tail}", f"00{code}{digits}", f"{code}-{digits}"][
                int(self.rng.integers(0, 3))
            ]
        if variant == "width":
            return _full_width(f"+{code} {head} {tail}")
        return f"+{code} {head} {tail}"

    def address(self, i: int, variant: str = "original") -> str:
        """The address as typed."""
        house = int(self.house[i])
        if self._cn(i):
            city = self._city(i)[0]
            street = _CN_STREETS[self.street[i]]
            if variant == "address_format":
                return f"{street}{_full_width(str(house))}号"
            return f"{city}{street}{house}号"
        city = self._city(i)[0]
        street = _EN_STREETS[self.street[i] % len(_EN_STREETS)]
        if variant == "address_format":
            short = street.replace("Road", "Rd").replace("Street", "St").replace("Avenue", "Ave")
            return f"{house} {short.upper()}, {city.upper()}"
        return f"{house} {street}, {city}"
