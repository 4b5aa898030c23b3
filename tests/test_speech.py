"""朗读 without a voice in the browser: the text normaliser, pinyin for eSpeak NG, the audio
cache and the office's own engine, the audio files of the built site, and Chromium playing
one with ``speechSynthesis`` gone."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

from site_builder.content import load
from site_builder.errors import ContentError
from site_builder.speech import case_text, start_speech
from site_builder.speech.engine import OFFICE_ENV, find_engine, mp3_info
from site_builder.speech.normalise import integer, normalise
from site_builder.speech.pinyin import espeak_pinyin

from .conftest import PHONE

TINY = Path(__file__).parent / "fixtures" / "tiny"


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("依照《民法典》第1067条", "依照《民法典》第一千零六十七条"),
        ("第一千零六十七条", "第一千零六十七条"),
        ("2024-03-05签订", "二零二四年三月五日签订"),
        ("2023年5月20日", "二零二三年五月二十日"),
        ("2024/3", "二零二四年三月"),
        ("赔了5000元", "赔了五千元"),
        ("共计12,000元", "共计一万两千元"),
        ("￥1,500.50", "一千五百元五角"),
        ("1.5万元", "一点五万元"),
        ("2人，第2条，2月", "两人，第二条，二月"),
        ("拨打13812345678", "拨打幺三八，幺二三四，五六七八"),
        ("电话0371-12345678", "电话零三七幺，幺二三四五六七八"),
        ("热线12348", "热线幺二三四八"),
        ("打110报警", "打幺幺零报警"),
        ("承担30%的责任", "承担百分之三十的责任"),
        ("3-5天", "三到五天"),
        ("身份证410102199001011234", "身份证四一零一零二一九九零零一零一一二三四"),
        ("APP上申请", "诶屁屁上申请"),
        ("面积80㎡", "面积八十平方米"),
        ("## 案情\n\n张某**不**同意，见[法条](https://x.cn/a)。", "案情。张某不同意，见法条。"),
        ("网址 https://www.example.gov.cn/sfj/ 上有", "网址 上有"),
        ("<b>粗</b>体", "粗体"),
    ],
)
def test_normalise(text: str, spoken: str) -> None:
    assert normalise(text) == spoken


def test_integers() -> None:
    assert [integer(n) for n in (10, 15, 101, 1245, 10050, 100000, 100010000)] == [
        "十",
        "十五",
        "一百零一",
        "一千二百四十五",
        "一万零五十",
        "十万",
        "一亿零一万",
    ]
    assert integer(2000, liang=True) == "两千" and integer(20000, liang=True) == "两万"


def test_pinyin_for_espeak() -> None:
    spoken = espeak_pinyin(normalise("人民调解员到村调委会，约定还款计划。一天一定不要，第一条。"))
    assert spoken == (
        "ren2 min2 tiao2 jie3 yuan2 dao4 cun1 tiao2 wei3 hui4, yue1 ding4 huan2 kuan3 ji4 hua4.\n"
        "yi4 tian1 yi2 ding4 bu2 yao4, di4 yi1 tiao2.\n"
    )
    assert re.fullmatch(r"[a-z0-9 ,.!?\n]+", spoken)  # nothing left for the voice to guess


def test_case_text_says_title_summary_and_hotline() -> None:
    content = load(TINY)
    case = next(iter(content.cases.values()))
    text = case_text(case, content.site)
    assert text.startswith(normalise(case.title))
    assert normalise(case.summary) in text
    assert text.endswith("拨打公共法律服务热线 幺二三四八。")


FAKE_ENGINE = """import math, struct, sys, wave
text = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[3], "a", encoding="utf-8") as log:
    log.write(text.splitlines()[0] + "\\n")
frames = b"".join(struct.pack("<h", int(6000 * math.sin(i / 4))) for i in range(16000))
with wave.open(sys.argv[2], "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(16000); w.writeframes(frames * 2)
"""


def office_county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """The tiny county with an office-supplied engine (a script writing a stereo WAV),
    named in the build machine's environment."""
    content = tmp_path / "content"
    shutil.copytree(TINY, content)
    script, log = tmp_path / "engine.py", tmp_path / "engine.log"
    script.write_text(FAKE_ENGINE, encoding="utf-8")
    argv = [sys.executable, str(script), "{text_file}", "{out_wav}", str(log)]
    monkeypatch.setenv(OFFICE_ENV, shlex.join(argv))
    return content, log


def test_cache_reuses_and_renders_a_changed_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, log = office_county(tmp_path, monkeypatch)
    cache = tmp_path / "work" / "speech-cache"
    site = tmp_path / "site"
    case = next(iter(load(content).cases.values()))
    (site / "cases" / case.id).mkdir(parents=True)

    first = start_speech(load(content), cache)
    assert (
        first.engine is not None and first.engine.label == "单位自备的 " + Path(sys.executable).name
    )
    result = first.finish(site)
    name = first.files[case.id]
    audio = site / "cases" / case.id / name
    info = mp3_info(audio.read_bytes())
    assert info is not None and info.channels == 1 and info.seconds == pytest.approx(1, abs=0.1)
    assert result.rendered == [case.id] and log.read_text(encoding="utf-8").count("\n") == 1
    assert normalise(case.title) in log.read_text(encoding="utf-8")  # the office gets Chinese

    again = start_speech(load(content), cache)
    result = again.finish(site)
    assert (result.rendered, result.reused) == ([], 1)
    assert again.files[case.id] == name
    assert log.read_text(encoding="utf-8").count("\n") == 1  # not spoken again

    source = content / "cases" / f"{case.id}.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace(case.summary, case.summary + "又补充一句。"),
        encoding="utf-8",
    )
    changed = start_speech(load(content), cache)
    assert changed.finish(site).rendered == [case.id]
    assert changed.files[case.id] != name  # a new text, a new address (WeChat caches hard)


def test_no_engine_is_a_note_not_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(TINY, content)
    monkeypatch.setenv(OFFICE_ENV, "no-such-tts {text_file} {out_wav}")
    job = start_speech(load(content), tmp_path / "cache")
    assert job.files == {}
    result = job.finish(tmp_path)
    assert result.notes == [
        "朗读音频：没有找到环境变量 PUFA_SPEECH_COMMAND 指定的朗读程序“no-such-tts”，这次没有生成；"
        "没有中文语音的手机上，朗读按钮会说明并给出热线电话。"
    ]
    monkeypatch.setenv(OFFICE_ENV, "tts '{text_file} {out_wav}")
    assert start_speech(load(content), tmp_path / "cache").notes == [
        "朗读音频：环境变量 PUFA_SPEECH_COMMAND 里的引号没有配对，这次没有生成；"
        "没有中文语音的手机上，朗读按钮会说明并给出热线电话。"
    ]


def test_a_broken_espeak_is_a_note(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An installed but failing espeak-ng: the build goes on and says why."""
    fake = tmp_path / "bin" / "espeak-ng"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'cannot open phontab' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    monkeypatch.delenv(OFFICE_ENV, raising=False)
    found = find_engine([])
    assert isinstance(found, str) and "espeak-ng" in found


def test_site_yml_cannot_name_a_program(content_copy: Path) -> None:
    """A program named in content would run with the build's rights for whoever may edit
    site.yml: the key does not exist, and pufa check says so."""
    with (content_copy / "site.yml").open("a", encoding="utf-8") as f:
        f.write('speech:\n  command: [sh, -c, "touch /tmp/pwned"]\n')
    with pytest.raises(ContentError) as err:
        load(content_copy)
    assert "speech.command" in str(err.value.problems[0])


def test_built_cases_have_small_mono_audio(built_site: Path) -> None:
    content = load(Path(__file__).resolve().parent.parent / "content")
    files = sorted(built_site.glob("cases/*/speech-*.mp3"))
    assert len(files) == len(content.cases)
    for f in files:
        case = content.cases[f.parent.name]
        page = (f.parent / "index.html").read_text(encoding="utf-8")
        assert f'data-pufa-audio="{f.name}"' in page
        info = mp3_info(f.read_bytes())
        assert info is not None and info.channels == 1 and info.rate == 16000
        assert info.kbps <= 24
        syllables = len(re.findall(r"[\u4e00-\u9fff]", case_text(case, content.site)))
        assert syllables / 6 < info.seconds < syllables / 2, (f, syllables, info)


NO_VOICE = """
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});
delete window.SpeechSynthesisUtterance;
"""
AUDIO = "document.querySelector('.pufa-tools audio')"


def test_audio_plays_where_the_browser_has_no_voice(browser: Any, served_site: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(NO_VOICE)
    try:
        page = context.new_page()
        page.goto(served_site + "cases/lease-deposit/")
        assert page.evaluate("window.speechSynthesis === undefined")
        button = page.locator("[data-pufa-speak]")
        assert button.is_visible()
        button.click()
        page.wait_for_function(f"{AUDIO} && {AUDIO}.currentTime > 0.5", timeout=10000)
        assert page.evaluate(f"{AUDIO}.paused") is False
        assert button.inner_text() == "停止朗读"
        assert page.locator(".pufa-tool-msg").inner_text() == "机器朗读：标题和要点"
        seconds = page.evaluate(
            f"""fetch({AUDIO}.src).then(r => r.arrayBuffer())
                .then(b => new OfflineAudioContext(1, 1, 48000).decodeAudioData(b))
                .then(a => a.duration)"""
        )
        assert seconds > 10  # the whole file decodes
        button.click()
        assert page.evaluate(f"{AUDIO}.paused") is True
        assert button.inner_text() == "朗读"

        other = context.new_page()  # a page without audio: the button explains, with the hotline
        other.goto(served_site + "villages/lanxin/")
        help_line = other.locator("p.pufa-speak-help")
        assert help_line.count() == 0
        other.locator("[data-pufa-speak]").click()
        other.locator("[data-pufa-speak]").click()  # a second click adds no second line
        assert help_line.count() == 1 and help_line.is_visible()
        assert help_line.inner_text().startswith("这部手机不支持朗读。可以拨打")
        assert help_line.locator('a[href="tel:12348"]').is_visible()
    finally:
        context.close()
