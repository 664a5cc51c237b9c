func.func @identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = onnx.Identity %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
