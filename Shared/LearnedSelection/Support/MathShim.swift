// Elementary functions from Foundation under module-private names, so compute files need not
// each import Foundation.

import Foundation

@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _log1p(_ x: Double) -> Double { Foundation.log1p(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { Foundation.sin(x) }
@inline(__always) func _expf(_ x: Float) -> Float { Foundation.exp(x) }
