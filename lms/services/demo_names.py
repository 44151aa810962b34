"""Plausible Chinese names and unit names for the demo data, drawn from a seeded generator.

Names are written with their pinyin so usernames read like the ones organisations hand out
("zhangwei3"); the lists are short on purpose: believable, not a census.
"""

from __future__ import annotations

import random
from itertools import accumulate

# The common surnames, most frequent first (the weights fall off with the rank).
SURNAMES = (
    "王wang 李li 张zhang 刘liu 陈chen 杨yang 黄huang 赵zhao 吴wu 周zhou 徐xu 孙sun 马ma "
    "朱zhu 胡hu 郭guo 何he 高gao 林lin 罗luo 郑zheng 梁liang 谢xie 宋song 唐tang 许xu "
    "韩han 冯feng 邓deng 曹cao 彭peng 曾zeng 肖xiao 田tian 董dong 袁yuan 潘pan 于yu "
    "蒋jiang 蔡cai 余yu 杜du 叶ye 程cheng 苏su 魏wei 吕lv 丁ding 任ren 沈shen 姚yao 卢lu "
    "姜jiang 崔cui 钟zhong 谭tan 陆lu 汪wang 范fan 金jin 石shi 廖liao 贾jia 夏xia 韦wei "
    "付fu 方fang 白bai 邹zou 孟meng 熊xiong 秦qin 邱qiu 江jiang 尹yin 薛xue 闫yan 段duan "
    "雷lei 侯hou 龙long 史shi 陶tao 黎li 贺he 顾gu 毛mao 郝hao 龚gong 邵shao 万wan "
    "钱qian 严yan 武wu 戴dai 莫mo 孔kong 向xiang 汤tang 欧阳ouyang 司马sima 上官shangguan"
).split()

GIVEN = (
    "伟wei 芳fang 娜na 秀xiu 英ying 敏min 静jing 丽li 强qiang 磊lei 军jun 洋yang 勇yong "
    "艳yan 杰jie 娟juan 涛tao 明ming 超chao 霞xia 平ping 刚gang 桂gui 华hua 建jian 国guo "
    "文wen 辉hui 玲ling 红hong 鹏peng 飞fei 斌bin 宇yu 浩hao 凯kai 健jian 俊jun 帆fan "
    "旭xu 宁ning 龙long 林lin 欣xin 佳jia 晨chen 阳yang 博bo 雪xue 梅mei 琳lin 婷ting "
    "慧hui 莉li 波bo 海hai 峰feng 亮liang 志zhi 东dong 春chun 晓xiao 燕yan 萍ping 荣rong "
    "新xin 思si 雨yu 子zi 涵han 轩xuan 睿rui 泽ze 一yi 诺nuo 嘉jia 怡yi 梓zi 航hang "
    "晴qing 瑶yao 璐lu 倩qian 颖ying 蕾lei 琪qi 薇wei 洁jie 淑shu 兰lan 凤feng 琴qin "
    "云yun 珍zhen 美mei 玉yu 德de 成cheng 福fu 生sheng 永yong 立li 振zhen 庆qing 宏hong "
    "昌chang 家jia 兵bing 卫wei 忠zhong 民min 彬bin 坤kun 鑫xin 毅yi 锋feng 诚cheng "
    "昊hao 然ran 天tian 安an 乐le 可ke 心xin 秋qiu 冬dong 晶jing 丹dan 宁ning 虹hong"
).split()

COMMITTEES = ("机关党委", "生产运营党委", "研发中心党委", "营销服务党委", "华东分公司党委",
              "华南分公司党委", "西部分公司党委", "物流保障党委")

_DIGITS = "零一二三四五六七八九"


def _split(entry: str) -> tuple[str, str]:
    """"欧阳ouyang" → ("欧阳", "ouyang")."""
    cut = next(i for i, ch in enumerate(entry) if ch.isascii())
    return entry[:cut], entry[cut:]


_SURNAMES = [_split(entry) for entry in SURNAMES]
_SURNAME_WEIGHTS = list(accumulate(1 / (rank + 6) for rank in range(len(_SURNAMES))))
_GIVEN = [_split(entry) for entry in GIVEN]


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 105 → 一百零五 (as unit names count: 第二十一党支部)."""
    if not 0 < number < 10_000:
        return str(number)
    thousands, rest = divmod(number, 1000)
    hundreds, rest = divmod(rest, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if thousands:
        out += _DIGITS[thousands] + "千"
    if hundreds:
        out += _DIGITS[hundreds] + "百"
    elif thousands and (tens or ones):
        out += "零"
    if tens:
        out += ("" if tens == 1 and not out else _DIGITS[tens]) + "十"
    elif out and ones and not out.endswith("零"):
        out += "零"
    if ones:
        out += _DIGITS[ones]
    return out


class NameMaker:
    """Names and unique usernames, the same sequence for the same seed."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen: dict[str, int] = {}

    def person(self) -> tuple[str, str]:
        """Return (display name, username); usernames always end in a number, so they never
        meet the built-in demo accounts (zhangsan, lisi)."""
        surname, surname_py = self.rng.choices(_SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
        parts = [self.rng.choice(_GIVEN) for _ in range(1 if self.rng.random() < 0.3 else 2)]
        if len(parts) == 2 and parts[0] == parts[1] and self.rng.random() < 0.7:
            parts = parts[:1]  # 婷婷 happens, but less often than chance would have it
        name = surname + "".join(ch for ch, _ in parts)
        base = surname_py + "".join(py for _, py in parts)
        self.seen[base] = self.seen.get(base, 0) + 1
        return name, f"{base}{self.seen[base]}"

    def phone(self) -> str | None:
        if self.rng.random() < 0.4:
            return None
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"
