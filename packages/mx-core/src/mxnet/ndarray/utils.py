"""``mx.nd.save``/``load``/``load_frombuffer`` (MXNet's NDArray list files)."""


def save(fname, data):
    raise NotImplementedError("save: the .params format lands with the files module")


def load(fname):
    raise NotImplementedError("load: the .params format lands with the files module")


def load_frombuffer(buf):
    raise NotImplementedError("load_frombuffer: the .params format lands with the files module")
