"""Text encodings: BOMs of every width, UTF-8, the legacy code pages of subtitle files
(guessed with charset-normalizer and reported), and the learner's own choice."""

import codecs
import subprocess
import sys

import pytest

from player.core.formats import LoadOptions, TranscriptError, encoding_note, load
from player.core.timecode import format_timecode

# Eight cues of lecture speech in each language: about as much as a short subtitle file.
LECTURES = {
    "cp1250": ["Dobrý den, vítejte na dnešní přednášce.", "Dnes budeme mluvit o kvantové mechanice.",
               "Nejprve si zopakujeme základní pojmy.", "Částice se může chovat jako vlna.",
               "To je velmi důležitý poznatek.", "Zażółć gęślą jaźń, powiedział profesor.",
               "Proszę otworzyć podręcznik na stronie dwunastej.", "Děkuji za pozornost a těším se příště."],
    "cp1251": ["Добрый день, добро пожаловать на лекцию.", "Сегодня мы поговорим о квантовой механике.",
               "Сначала повторим основные понятия.", "Частица может вести себя как волна.",
               "Это очень важное наблюдение.", "Откройте учебник на двенадцатой странице.",
               "Есть ли у вас вопросы?", "Спасибо за внимание, до встречи."],
    "gbk": ["大家好，欢迎来到今天的讲座。", "今天我们讨论量子力学。", "首先，我们复习一下基本概念。",
            "粒子可以表现得像波一样。", "这是一个非常重要的发现。", "请把课本翻到第十二页。",
            "大家有什么问题吗？", "谢谢大家，下次再见。"],
    "gb2312": ["同学们好，今天我们学习线性代数。", "矩阵是一个数字的表格。", "我们先看一个简单的例子。",
               "两个矩阵可以相乘。", "请注意乘法的顺序。", "这个性质非常重要。",
               "下面我们做一道练习题。", "今天的课就到这里。"],
    "shift_jis": ["皆さん、こんにちは。今日の講義へようこそ。", "今日は量子力学について話します。",
                  "まず、基本的な概念を復習しましょう。", "粒子は波のように振る舞うことがあります。",
                  "これはとても重要な発見です。", "教科書の十二ページを開いてください。",
                  "何か質問はありますか。", "ご清聴ありがとうございました。"],
    "cp1253": ["Καλημέρα σας και καλώς ήρθατε στη διάλεξη.", "Σήμερα θα μιλήσουμε για την κβαντική μηχανική.",
               "Πρώτα θα επαναλάβουμε τις βασικές έννοιες.", "Ένα σωματίδιο μπορεί να συμπεριφέρεται σαν κύμα.",
               "Αυτή είναι μια πολύ σημαντική παρατήρηση.", "Ανοίξτε το βιβλίο στη σελίδα δώδεκα.",
               "Έχετε κάποια ερώτηση;", "Ευχαριστώ για την προσοχή σας."],
    "cp1255": ["שלום לכולם וברוכים הבאים להרצאה.", "היום נדבר על מכניקת הקוונטים.",
               "קודם כל נחזור על המושגים הבסיסיים.", "חלקיק יכול להתנהג כמו גל.", "זוהי תצפית חשובה מאוד.",
               "פתחו את הספר בעמוד שתים עשרה.", "האם יש לכם שאלות?", "תודה רבה על ההקשבה."],
    "cp1256": ["مرحبا بكم في محاضرة اليوم.", "اليوم سنتحدث عن ميكانيكا الكم.", "أولا سنراجع المفاهيم الأساسية.",
               "يمكن للجسيم أن يتصرف مثل الموجة.", "هذه ملاحظة مهمة جدا.", "افتحوا الكتاب على الصفحة الثانية عشرة.",
               "هل لديكم أي أسئلة؟", "شكرا لكم على حسن الاستماع."],
    "cp1252": ["Bonjour à tous, bienvenue à la conférence.", "Aujourd’hui nous parlons de mécanique quantique.",
               "D’abord, révisons les notions de base — c’est essentiel.", "Une particule peut se comporter "
               "comme une onde.", "Ça, c’est une observation très importante.", "Ouvrez le manuel à la page "
               "douze, s’il vous plaît.", "Avez-vous des questions? « Oui », dit l’élève.",
               "Merci de votre attention, à bientôt."],
}


def srt(lines):
    return "".join(f"{i}\n{format_timecode(i * 1000, ',')} --> {format_timecode(i * 1000 + 900, ',')}\n{line}\n\n"
                   for i, line in enumerate(lines, 1))


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding", sorted(LECTURES))
def test_legacy_code_pages_are_detected_and_reported(tmp_path, encoding):
    lines = LECTURES[encoding]
    transcript = load(write(tmp_path, f"{encoding}.srt", srt(lines).encode(encoding)))
    assert [s.text for s in transcript] == lines
    assert transcript.encoding_guessed
    # The codec that read it is one that reads these bytes as the text they were.
    assert srt(lines).encode(encoding).decode(transcript.encoding) == srt(lines)
    assert encoding_note(transcript) in (f"read as {transcript.encoding} (guessed)",
                                         f"read as {transcript.encoding} (a weak guess)")


@pytest.mark.parametrize("bom_encoding, codec", [
    ("utf-8-sig", "utf-8"), ("utf-16", None), ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
    ("utf-32-le", "utf-32-le"), ("utf-32-be", "utf-32-be")])
def test_every_unicode_byte_order_mark(tmp_path, bom_encoding, codec):
    lines = LECTURES["cp1251"] + LECTURES["gbk"]
    text = srt(lines)
    if codec and codec.startswith("utf-16"):
        data = (codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE) + text.encode(codec)
    elif codec and codec.startswith("utf-32"):
        data = (codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE) + text.encode(codec)
    else:
        data = text.encode(bom_encoding)
    transcript = load(write(tmp_path, "bom.srt", data))
    assert [s.text for s in transcript] == lines
    assert not transcript.encoding_guessed and encoding_note(transcript) is None


def test_utf8_without_bom_is_certain(tmp_path):
    transcript = load(write(tmp_path, "u.srt", srt(LECTURES["shift_jis"]).encode("utf-8")))
    assert (transcript.encoding, transcript.encoding_guessed, transcript.weak_guess) == ("utf-8", False, False)


def test_utf16_without_bom_is_told_by_its_zero_bytes(tmp_path):
    for codec in ("utf-16-le", "utf-16-be"):
        transcript = load(write(tmp_path, "w.srt", srt(LECTURES["cp1252"]).encode(codec)))
        assert transcript[0].text == LECTURES["cp1252"][0] and transcript.encoding == codec


def test_the_chosen_encoding_wins(tmp_path):
    path = write(tmp_path, "ru.srt", srt(LECTURES["cp1251"]).encode("cp1251"))
    as_koi8 = load(path, options=LoadOptions(encoding="koi8-r"))
    assert as_koi8.encoding == "koi8-r" and not as_koi8.encoding_guessed
    assert as_koi8[0].text == LECTURES["cp1251"][0].encode("cp1251").decode("koi8-r")
    assert load(path, options=LoadOptions(encoding="Windows-1251"))[0].text == LECTURES["cp1251"][0]


def test_a_wrong_or_unknown_choice_is_one_clear_line(tmp_path):
    path = write(tmp_path, "zh.srt", srt(LECTURES["gbk"]).encode("gbk"))
    with pytest.raises(TranscriptError) as unknown:
        load(path, options=LoadOptions(encoding="klingon"))
    assert str(unknown.value) == f"{path}: unknown encoding 'klingon'"
    with pytest.raises(TranscriptError) as wrong:
        load(path, options=LoadOptions(encoding="utf-8"))
    assert str(wrong.value).startswith(f"{path}:3: this is not utf-8 text (byte ")


def test_a_weak_guess_says_so(tmp_path):
    # Two bytes that many code pages read as letters: nothing to tell them apart.
    transcript = load(write(tmp_path, "tiny.srt", "1\n00:00:01,000 --> 00:00:02,000\n\xe0\xe8\n".encode("latin-1")))
    assert transcript.encoding_guessed and transcript.weak_guess
    assert encoding_note(transcript) == f"read as {transcript.encoding} (a weak guess)"


def test_webvtt_nul_is_a_replacement_character_not_a_binary_file(tmp_path):
    data = b"WEBVTT\n\x00\n\n00:00:00.000 --> 00:00:01.000\n\xef\xbf\xbdtext\x003\n"
    transcript = load(write(tmp_path, "nul.vtt", data))
    assert [s.text for s in transcript] == ["\ufffdtext\ufffd3"]
    with pytest.raises(TranscriptError, match="binary"):
        load(write(tmp_path, "nul.srt", b"1\n00:00:00,000 --> 00:00:01,000\ntext\x00\n"))


def test_a_large_legacy_file_is_guessed_from_a_sample_and_read_whole(tmp_path):
    lines = LECTURES["cp1251"] * 4_000   # about 1.4 MB: more than the sample
    path = write(tmp_path, "big.srt", srt(lines).encode("cp1251"))
    transcript = load(path)
    assert transcript.encoding == "cp1251" and len(transcript) == len(lines)
    assert transcript[-1].text == lines[-1]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "player", *map(str, args)], capture_output=True, text=True,
                          timeout=60)


def test_parse_says_how_it_read_the_file_and_takes_encoding(tmp_path):
    path = write(tmp_path, "ru.srt", srt(LECTURES["cp1251"]).encode("cp1251"))
    guessed = run_cli("parse", path, "--to", "txt")
    assert guessed.returncode == 0, guessed.stderr
    assert guessed.stderr.splitlines() == [f"{path}: read as cp1251 (guessed)"]
    assert LECTURES["cp1251"][0] in guessed.stdout
    chosen = run_cli("parse", path, "--to", "txt", "--encoding", "cp1252")
    assert chosen.returncode == 0 and chosen.stderr == ""
    assert LECTURES["cp1251"][0].encode("cp1251").decode("cp1252") in chosen.stdout
    unknown = run_cli("parse", path, "--encoding", "nonsense")
    assert unknown.returncode == 2 and unknown.stderr.strip().endswith(f"{path}: unknown encoding 'nonsense'")


def test_formats_lists_the_encodings_and_dialects_it_reads():
    listed = run_cli("formats")
    assert listed.returncode == 0
    for words in ("UTF-32", "cp1251", "gb18030", "cp932", "cp1255", "cp1256", "--encoding",
                  "openai-whisper console", "Zoom", "IMSC"):
        assert words in listed.stdout
