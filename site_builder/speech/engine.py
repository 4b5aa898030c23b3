"""The speech engine and the encoder, run as programs with an argument list (never a shell).

The built-in engine is eSpeak NG (Debian ``espeak-ng``), reading tone-numbered pinyin with
its ``cmn-latn-pinyin`` voice: rule-based, so no recordings or training data with a licence
of their own (GPL-3 program; the audio it makes is the site's). An office may name its own
engine in the build machine's environment, ``PUFA_SPEECH_COMMAND`` (split like a shell
command line, never run by a shell; not in content: a program named in ``site.yml`` would
run with the build's rights for anyone allowed to edit it): an argument list in which
``{text_file}`` is replaced by a UTF-8 file of the normalised Chinese text and ``{out_wav}``
by the WAV file it is to write. Either way the WAV is encoded as MP3 (Debian ``lame``),
mono, 16 kbit/s at 16 kHz: every phone browser plays it (Android's WebView and so WeChat's
browser, and Safari). Ogg Opus would sound better at that rate, but its encoder took five
times the CPU (0.29 s for 28 s of speech against LAME's 0.06 s), and the time a county's
cold build may grow is the tighter budget.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

VOICE = "cmn-latn-pinyin"
RATE = 175  # eSpeak's words a minute: about 3.5 syllables a second
BITRATE = 16  # kbit/s, constant: MPEG-2 layer III at 16 kHz, low-passed at 5.5 kHz
ESPEAK_ARGV = (
    "espeak-ng",
    "-v",
    VOICE,
    "-s",
    str(RATE),
    "-b",
    "1",
    "-f",
    "{text_file}",
    "-w",
    "{out_wav}",
)
ENCODER = "lame"
ENCODE_ARGS = ("--quiet", "--noreplaygain", "-q", "7", "-b", str(BITRATE), "-m", "m")
TIMEOUT = 120  # seconds for one case
INSTALL = "apt-get install espeak-ng lame（或 make system-deps）"


class SpeechError(Exception):
    """One case's audio could not be made (the message is Chinese, for a build note)."""


@dataclass(frozen=True)
class Engine:
    label: str  # what the build notes say, e.g. "espeak-ng 1.51"
    argv: tuple[str, ...]  # with {text_file} and {out_wav}
    pinyin: bool  # True: the engine is given pinyin (eSpeak), else the Chinese text
    identity: str  # versions and settings: part of every cache key


def _run(argv: list[str], what: str, *, low: bool = False) -> bytes:
    """Run ``argv`` (``low``: at a lower priority, so the print workers go first)."""
    nice = shutil.which("nice") if low else None
    try:
        done = subprocess.run(
            [nice, "-n", "10", *argv] if nice else argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SpeechError(f"{what}超过 {TIMEOUT} 秒没有完成") from exc
    except OSError as exc:
        raise SpeechError(f"{what}无法运行：{exc.strerror or exc}") from exc
    if done.returncode != 0:
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise SpeechError(f"{what}出错（退出码 {done.returncode}）：{tail[0][:200]}")
    return done.stdout


def _first_line(argv: list[str]) -> str:
    try:
        out = _run(argv, argv[0])
    except SpeechError:
        return ""
    lines = out.decode("utf-8", "replace").strip().splitlines()
    return lines[0].strip() if lines else ""


def _program_identity(path: str) -> str:
    """Name, size and time of a program: a changed engine renders again."""
    st = Path(path).stat()
    return f"{Path(path).name}:{st.st_size}:{int(st.st_mtime)}"


OFFICE_ENV = "PUFA_SPEECH_COMMAND"


def office_command(environ: Mapping[str, str] = os.environ) -> list[str] | str:
    """The office-supplied engine's argument list from the environment ([] when unset), or
    why it cannot be read."""
    raw = environ.get(OFFICE_ENV, "").strip()
    try:
        return shlex.split(raw) if raw else []
    except ValueError:
        return f"环境变量 {OFFICE_ENV} 里的引号没有配对"


def find_engine(command: list[str]) -> Engine | str:
    """The engine to use, or why there is none (a Chinese note for the build)."""
    encoder = shutil.which(ENCODER)
    if command:
        program = shutil.which(command[0])
        if program is None:
            return f"没有找到环境变量 {OFFICE_ENV} 指定的朗读程序“{command[0]}”"
        text = " ".join(command)
        if "{text_file}" not in text or "{out_wav}" not in text:
            return (
                f"环境变量 {OFFICE_ENV} 要写出 {{text_file}}（要读的文字）"
                "和 {out_wav}（写出的声音文件）"
            )
        if encoder is None:
            return f"没有找到 {ENCODER}，无法把声音压缩成网页能播放的文件"
        identity = "|".join(["office", text, _program_identity(program), _encoder(encoder)])
        return Engine(f"单位自备的 {Path(command[0]).name}", tuple(command), False, identity)
    espeak = shutil.which("espeak-ng")
    if espeak is None or encoder is None:
        missing = [n for n, p in (("espeak-ng", espeak), (ENCODER, encoder)) if p is None]
        return f"这台电脑没有安装 {'、'.join(missing)}"
    version = _first_line([espeak, "--version"])
    try:
        voices = _run([espeak, f"--voices={VOICE.split('-')[0]}"], "espeak-ng")
    except SpeechError as exc:  # a broken installation: a note, not a failed build
        return str(exc)
    if VOICE not in voices.decode("utf-8", "replace"):
        return f"espeak-ng 没有普通话拼音语音 {VOICE}（需要 1.50 以上版本）"
    number = re.search(r"\d+\.\d+(?:\.\d+)?", version)
    label = "espeak-ng " + (number.group(0) if number else "")
    identity = "|".join(
        ["espeak", version, _program_identity(espeak), " ".join(ESPEAK_ARGV), _encoder(encoder)]
    )
    return Engine(label.strip(), ESPEAK_ARGV, True, identity)


def _encoder(path: str) -> str:
    return "|".join([_first_line([path, "--version"]), " ".join(ENCODE_ARGS)])


def render(engine: Engine, spoken: str, out: Path, work: Path) -> None:
    """Speak ``spoken`` into ``out`` (MP3) through a WAV file in ``work``."""
    text_file = work / "text.txt"
    wav = work / "speech.wav"
    text_file.write_text(spoken, encoding="utf-8")
    argv = [
        a.replace("{text_file}", str(text_file)).replace("{out_wav}", str(wav)) for a in engine.argv
    ]
    _run(argv, f"朗读程序 {Path(argv[0]).name} ", low=True)
    if not wav.is_file() or wav.stat().st_size <= 44:
        raise SpeechError(f"朗读程序 {Path(argv[0]).name} 没有写出声音文件")
    encoded = work / "speech.mp3"
    _run([ENCODER, *ENCODE_ARGS, str(wav), str(encoded)], f"{ENCODER} ", low=True)
    info = mp3_info(encoded.read_bytes())
    if info is None or info.seconds < 0.5:
        raise SpeechError("压缩后的声音文件读不出来")
    encoded.replace(out)


@dataclass(frozen=True)
class AudioInfo:
    channels: int
    seconds: float
    size: int
    rate: int  # samples a second

    @property
    def kbps(self) -> float:
        return self.size * 8 / self.seconds / 1000 if self.seconds else 0.0


_MP3_BITRATES = {  # kbit/s by index: MPEG-1 layer III, MPEG-2/2.5 layer III
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_info(data: bytes) -> AudioInfo | None:
    """Channels, sample rate and length of an MP3 file, counted frame by frame (the LAME
    info frame at the start holds no sound and is not counted). None: not MP3."""
    pos = 0
    if data[:3] == b"ID3" and len(data) >= 10:  # skip an ID3v2 tag
        pos = 10 + sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(data[6:10]))
    frames, channels, rate, samples = 0, 0, 0, 0
    while pos + 4 <= len(data):
        h = int.from_bytes(data[pos : pos + 4], "big")
        version, layer = (h >> 19) & 3, (h >> 17) & 3
        br_index, sr_index = (h >> 12) & 15, (h >> 10) & 3
        if (h >> 21) != 0x7FF or version == 1 or layer != 1 or br_index in (0, 15):
            break  # not a layer III frame header: the end (or a tag after the sound)
        if sr_index == 3:
            break
        rate = _MP3_RATES[version][sr_index]
        kbps = _MP3_BITRATES[1 if version == 3 else 2][br_index]
        per_frame = 1152 if version == 3 else 576
        length = (per_frame // 8) * kbps * 1000 // rate + ((h >> 9) & 1)
        channels = 1 if ((h >> 6) & 3) == 3 else 2
        side = (17 if channels == 1 else 32) if version == 3 else (9 if channels == 1 else 17)
        tag = data[pos + 4 + side : pos + 8 + side]
        if not (frames == 0 and tag in (b"Xing", b"Info")):
            frames += 1
            samples += per_frame
        pos += length
    if not frames or not rate:
        return None
    return AudioInfo(channels, samples / rate, len(data), rate)


def cache_key(engine: Engine, spoken: str, version: str) -> str:
    return hashlib.sha256("\n".join([version, engine.identity, spoken]).encode()).hexdigest()
