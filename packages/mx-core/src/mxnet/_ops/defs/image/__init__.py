"""Image operators, one module per family (MXNet's ``src/operator/image/``): ``mx.nd.image.*``.

Images are HWC (or NHWC) for the pixel operators and CHW (or NCHW) after ``to_tensor``.
The colour kernels follow MXNet's C++: float32 arithmetic, then a cast back to the input
dtype where uint8 saturates (clip, then truncate). ``resize`` uses OpenCV on the CPU when
it is importable (MXNet itself calls ``cv::resize``) and an xp nearest/bilinear kernel
with OpenCV's pixel-centre convention otherwise.
"""
