"""Read and write MXNet's RecordIO files (``.rec``, with an optional ``.idx`` index).

The format is dmlc-core's, byte for byte: each record is the uint32 magic 0xced7230a,
a uint32 ``lrecord = (cflag << 29) | length``, ``length`` payload bytes, and zero padding
up to a multiple of 4. A payload that contains the magic at a 4-byte aligned offset is
split there (the magic is dropped): cflag 1 starts such a record, 2 continues it, 3 ends
it; a whole record has cflag 0. The reader puts the magic back between the parts.
"""
import numbers
import os
import struct
from collections import namedtuple
from multiprocessing import current_process

import numpy as np

from .base import MXNetError

__all__ = ["MXRecordIO", "MXIndexedRecordIO", "IRHeader", "pack", "unpack", "pack_img",
           "unpack_img"]

_MAGIC = 0xCED7230A
_MAGIC_BYTES = struct.pack("<I", _MAGIC)
_LEN_MASK = (1 << 29) - 1
_MAX_RECORD = 1 << 29


def _lrec(cflag, length):
    return struct.pack("<II", _MAGIC, (cflag << 29) | length)


def _encode(buf):
    """The bytes dmlc's RecordIOWriter writes for one record."""
    size = len(buf)
    out = []
    start = 0
    # Only aligned occurrences split the record, exactly like the C++ writer.
    pos = buf.find(_MAGIC_BYTES)
    while pos != -1 and pos + 4 <= (size >> 2) << 2:
        if pos % 4 == 0:
            out.append(_lrec(1 if start == 0 else 2, pos - start))
            out.append(buf[start:pos])
            start = pos + 4
            pos = buf.find(_MAGIC_BYTES, start)
        else:
            pos = buf.find(_MAGIC_BYTES, pos + 1)
    out.append(_lrec(3 if start else 0, size - start))
    out.append(buf[start:])
    out.append(b"\0" * (-size % 4))
    return b"".join(out)


class MXRecordIO:
    """Reads or writes a RecordIO file one record at a time.

    Parameters
    ----------
    uri : str
        Path to the record file.
    flag : str
        ``'w'`` to write, ``'r'`` to read.

    Examples
    --------
    >>> record = mx.recordio.MXRecordIO('tmp.rec', 'w')
    >>> for i in range(5):
    ...     record.write(b'record_%d' % i)
    >>> record.close()
    >>> record = mx.recordio.MXRecordIO('tmp.rec', 'r')
    >>> record.read()
    b'record_0'
    """

    def __init__(self, uri, flag):
        self.uri = os.fspath(uri)
        self.flag = flag
        self.pid = None
        self.is_open = False
        self.writable = None
        self._file = None
        self.open()

    def open(self):
        """Opens the record file (truncates it in write mode)."""
        if self.flag == "w":
            self._file = open(self.uri, "wb")
            self.writable = True
        elif self.flag == "r":
            try:
                self._file = open(self.uri, "rb")
            except OSError as err:
                raise MXNetError(f"RecordIO: cannot open {self.uri!r} for reading: "
                                 f"{err.strerror}") from err
            self._size = os.fstat(self._file.fileno()).st_size
            self.writable = False
        else:
            raise ValueError(f"Invalid flag {self.flag}")
        self.pid = current_process().pid
        self.is_open = True

    def __del__(self):
        try:
            self.close()
        except Exception:       # interpreter shutdown: nothing sensible left to do
            pass

    def __getstate__(self):
        """Pickles the path and mode; the file is reopened on unpickling."""
        is_open = self.is_open
        # MXNet 1.9.1 compat: pickling closes this object (reset() reopens it).
        self.close()
        state = dict(self.__dict__)
        state["is_open"] = is_open
        state["_file"] = None
        return state

    def __setstate__(self, state):
        self.__dict__ = state
        is_open = state["is_open"]
        self.is_open = False
        if is_open:
            self.open()

    def _check_pid(self, allow_reset=False):
        """A handle opened in another process must not be shared (it was forked)."""
        if self.pid != current_process().pid:
            if allow_reset:
                self.reset()
            else:
                raise RuntimeError("Forbidden operation in multiple processes")

    def close(self):
        """Closes the record file."""
        if not self.is_open:
            return
        self._file.close()
        self._file = None
        self.is_open = False
        self.pid = None

    def reset(self):
        """Closes and reopens: the reader goes back to the start; a writer starts over."""
        self.close()
        self.open()

    def write(self, buf):
        """Appends one record (a bytes-like object)."""
        assert self.writable
        self._check_pid(allow_reset=False)
        buf = bytes(buf)
        if len(buf) >= _MAX_RECORD:
            raise MXNetError(f"RecordIO {self.uri!r}: a record must be under 2^29 bytes, "
                             f"got {len(buf)}")
        self._file.write(_encode(buf))

    def read(self):
        """Returns the next record as bytes, or None at the end of the file."""
        assert not self.writable
        self._check_pid(allow_reset=False)
        parts = []
        start = self._file.tell()
        while True:
            offset = self._file.tell()
            head = self._file.read(8)
            if not head and not parts:
                return None
            if len(head) != 8:
                self._fail(offset, f"truncated record header ({len(head)} of 8 bytes)")
            magic, lrec = struct.unpack("<II", head)
            if magic != _MAGIC:
                self._fail(offset, f"bad magic number 0x{magic:08x}, expected 0x{_MAGIC:08x}")
            cflag, length = lrec >> 29, lrec & _LEN_MASK
            if cflag > 3 or (cflag in (0, 1)) != (not parts):
                self._fail(offset, f"unexpected continuation flag {cflag} in the record "
                                   f"starting at offset {start}")
            padded = (length + 3) & ~3
            if offset + 8 + padded > self._size:    # the file may have grown since open
                self._size = os.fstat(self._file.fileno()).st_size
            if offset + 8 + padded > self._size:
                self._fail(offset, f"record of {length} bytes runs past the end of the "
                                   f"file ({self._size} bytes)")
            parts.append(self._file.read(padded)[:length])
            if cflag in (0, 3):
                return _MAGIC_BYTES.join(parts)

    def _fail(self, offset, what):
        raise MXNetError(f"Invalid RecordIO file {self.uri!r} at offset {offset}: {what}")


class MXIndexedRecordIO(MXRecordIO):
    """Reads or writes a RecordIO file with random access through an index file.

    Parameters
    ----------
    idx_path : str
        Path to the index file (one ``key\\tbyte offset`` line per record).
    uri : str
        Path to the record file.
    flag : str
        ``'w'`` to write, ``'r'`` to read.
    key_type : type
        Type of the keys (``int`` by default).

    Examples
    --------
    >>> record = mx.recordio.MXIndexedRecordIO('tmp.idx', 'tmp.rec', 'w')
    >>> for i in range(5):
    ...     record.write_idx(i, b'record_%d' % i)
    >>> record.close()
    >>> record = mx.recordio.MXIndexedRecordIO('tmp.idx', 'tmp.rec', 'r')
    >>> record.read_idx(3)
    b'record_3'
    """

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = os.fspath(idx_path)
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super().__init__(uri, flag)

    def open(self):
        super().open()
        self.idx = {}
        self.keys = []
        try:
            self.fidx = open(self.idx_path, self.flag)
        except OSError as err:
            super().close()
            raise MXNetError(f"RecordIO: cannot open index {self.idx_path!r}: "
                             f"{err.strerror}") from err
        if not self.writable:
            try:
                self._read_index()
            except Exception:
                self.close()
                raise

    def _read_index(self):
        for lineno, line in enumerate(self.fidx, 1):
            fields = line.strip().split("\t")
            if fields == [""]:
                continue
            try:
                key, pos = self.key_type(fields[0]), int(fields[1])
            except (ValueError, IndexError) as err:
                raise MXNetError(f"Invalid RecordIO index {self.idx_path!r} line {lineno}: "
                                 f"{line.strip()!r} is not 'key<TAB>offset'") from err
            if not 0 <= pos < self._size:
                raise MXNetError(f"Invalid RecordIO index {self.idx_path!r} line {lineno}: "
                                 f"offset {pos} is outside {self.uri!r} "
                                 f"({self._size} bytes)")
            self.idx[key] = pos
            self.keys.append(key)

    def close(self):
        if not self.is_open:
            return
        super().close()
        self.fidx.close()

    def __getstate__(self):
        state = super().__getstate__()
        state["fidx"] = None
        return state

    def seek(self, idx):
        """Moves the read position to the record with key ``idx``."""
        assert not self.writable
        self._check_pid(allow_reset=True)
        self._file.seek(self.idx[idx])

    def tell(self):
        """The write position: the byte offset the next record will start at."""
        assert self.writable
        return self._file.tell()

    def read_idx(self, idx):
        """Returns the record with key ``idx``."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Writes a record under key ``idx`` and adds it to the index."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write(f"{key}\t{pos}\n")
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple("HEADER", ["flag", "label", "id", "id2"])
IRHeader.__doc__ = """An image record header: ``flag`` (number of extra float labels, 0 for
a scalar label), ``label`` (float or array), ``id`` and ``id2`` (uint64 ids)."""

_IR_FORMAT = "IfQQ"     # MXNet 1.9.1 compat: native byte order and alignment (24 bytes)
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """Packs a header and a byte string into one record.

    A scalar label is stored in the header; an array label is stored as ``flag``
    float32 values between the header and the payload.

    Examples
    --------
    >>> header = mx.recordio.IRHeader(0, [1.0, 2.0], 3, 0)
    >>> s = mx.recordio.pack(header, b'payload')
    """
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        s = label.tobytes() + s
    return struct.pack(_IR_FORMAT, *header) + s


def unpack(s):
    """Splits a record made by `pack` into ``(header, payload)``."""
    if len(s) < _IR_SIZE:
        raise MXNetError(f"RecordIO unpack: a packed record needs a {_IR_SIZE}-byte header, "
                         f"got {len(s)} bytes")
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        if len(s) < header.flag * 4:
            raise MXNetError(f"RecordIO unpack: header says {header.flag} float labels, "
                             f"only {len(s)} bytes follow")
        header = header._replace(label=np.frombuffer(s, np.float32, header.flag))
        s = s[header.flag * 4:]
    return header, s


def _cv2():
    try:
        import cv2
    except ImportError as err:
        raise ImportError("mx.recordio.pack_img/unpack_img need OpenCV: "
                          "pip install mx-core[image]") from err
    return cv2


def unpack_img(s, iscolor=-1):
    """Unpacks a record into ``(header, image)``, decoding the image with OpenCV.

    ``iscolor`` is OpenCV's imread flag: -1 unchanged, 0 grayscale, 1 BGR colour.
    """
    cv2 = _cv2()
    header, s = unpack(s)
    img = cv2.imdecode(np.frombuffer(s, dtype=np.uint8), iscolor)
    if img is None:
        raise MXNetError("RecordIO unpack_img: the payload is not a decodable image")
    return header, img


def pack_img(header, img, quality=95, img_fmt=".jpg"):
    """Encodes an image (numpy array, BGR as OpenCV) and packs it with ``header``.

    ``quality`` is the JPEG quality (1-100) or the PNG compression level (0-9).
    """
    cv2 = _cv2()
    params = None
    if img_fmt.upper() in (".JPG", ".JPEG"):
        params = [cv2.IMWRITE_JPEG_QUALITY, quality]
    elif img_fmt.upper() == ".PNG":
        # MXNet 1.9.1 compat: quality doubles as the PNG compression level; OpenCV caps
        # it at 9 (and newer OpenCV warns on stderr about larger values).
        params = [cv2.IMWRITE_PNG_COMPRESSION, min(quality, 9)]
    ok, buf = cv2.imencode(img_fmt, np.asarray(img), params)
    if not ok:
        raise MXNetError(f"RecordIO pack_img: failed to encode the image as {img_fmt}")
    return pack(header, buf.tobytes())
