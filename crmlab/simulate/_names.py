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


def _full_width(text: str) -> str:
    """ASCII letters, digits and punctuation as full-width characters (全角)."""
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def _half_width(text: str) -> str:
    """Full-width brackets as half-width ones."""
    return text.replace("（", "(").replace("）", ")")


class FirmNames:
    """Draws the master data of ``n`` firms in ``region`` (codes) with ``rng``."""

    def __init__(self, rng: np.random.Generator, region: np.ndarray):
        self.rng, self.region = rng, region
        n = region.size
        syl = list(_SYLLABLES)
        trade = list(_TRADE)
        n_core = len(syl) ** 2
        # distinct cores and trade words where the space allows (names differ per firm)
        space = n_core * len(trade)
        code = rng.choice(space, n, replace=n > space)
        self.core = [syl[c // len(syl)] + syl[c % len(syl)] for c in code % n_core]
        self.trade = [trade[t] for t in code // n_core]
        self.city = rng.integers(0, 5, n)
        self.bracket = rng.random(n) < 0.5
        n_first, n_second = len(_EN_FIRST), len(_EN_SECOND)
        space_en = n_first**2 * n_second
        code_en = rng.choice(space_en, n, replace=n > space_en)
        self.first = code_en // (n_first * n_second)
        self.middle = (code_en // n_second) % n_first
        self.second = code_en % n_second
        self.number = rng.integers(1_000_000, 99_999_999, n)
        self.street = rng.integers(0, 8, n)
        self.house = rng.integers(1, 400, n)

    def _cn(self, i: int) -> bool:
        return self.region[i] <= 1

    def _city(self, i: int) -> tuple:
        cities = _CN_CITIES if self._cn(i) else _EN_CITIES
        options = cities[self.region[i]]
        return options[self.city[i] % len(options)]

    def name(self, i: int, variant: str = "original") -> str:
        """The firm's name as typed in one record."""
        if self._cn(i):
            city = self._city(i)[0]
            core, trade = self.core[i], self.trade[i]
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
        words = (_EN_FIRST[self.first[i]], _EN_FIRST[self.middle[i]], _EN_SECOND[self.second[i]])
        base = " ".join(dict.fromkeys(words))  # a word drawn twice is written once
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
