// An InferenceGraph compiled for one input shape: oneDNN forward_inference primitives whose layouts oneDNN
// picks (format_tag any), the fused bias and activation as post-ops, weights reordered once into the layout
// each primitive wants, and one buffer per value, all created here and reused by every run.

import CDNNL

extension InferenceGraph {
  /// The compiled form of a graph for input (N, C, H, W). Only used under oneDNN's lock.
  final class Executable {
    /// A primitive with its arguments (scratchpad included once compiled).
    struct Step {
      var primitive: OpaquePointer
      var args: [dnnl_exec_arg_t]
      var scratchpad: dnnl_memory_desc_t
    }

    /// A dropout node: mask drawn in NCHW order into `plain`, reordered into the value's layout (`inner`) when
    /// that differs, then multiplied into `target` over its `elements` stored floats.
    struct DropoutStep {
      var p: Float
      var plain: UnsafeMutableBufferPointer<Float>
      var reorder: Int?
      var inner: UnsafeMutablePointer<Float>
      var target: UnsafeMutablePointer<Float>
      var elements: Int
    }

    enum Action {
      case primitive(Int)
      case dropout(DropoutStep)
    }

    private var steps: [Step] = []
    private var actions: [Action] = []
    private var memories: [OpaquePointer] = []
    private var buffers: [UnsafeMutableRawPointer] = []
    private var scratchpad: UnsafeMutableRawPointer?
    private var inputMemory: OpaquePointer!
    private var outputMemory: OpaquePointer!
    /// Index of the step writing the plain output, or nil when the last value is already plain (copied out).
    private var outputReorder: Int?
    private var lastValue: (pointer: UnsafeMutableRawPointer, bytes: Int)!
    private(set) var outputShape: [Int] = []
    private let engine: OpaquePointer
    private let stream: OpaquePointer

    init(graph: InferenceGraph, batch n: Int, height: Int, width: Int, engine: OpaquePointer, stream: OpaquePointer) {
      self.engine = engine
      self.stream = stream
      var dims: [[Int]] = []
      var mds: [dnnl_memory_desc_t] = []
      var values: [(memory: OpaquePointer, pointer: UnsafeMutableRawPointer)] = []
      for (index, node) in graph.nodes.enumerated() {
        let c = graph.channels[index]
        switch node {
        case .input:
          let d = [n, c, height, width]
          let md = DNNL.memoryDesc(d, dnnl_abcd)
          let memory = makeMemory(md, nil)
          inputMemory = memory
          dims.append(d); mds.append(md); values.append((memory, UnsafeMutableRawPointer(bitPattern: 1)!))

        case let .convolution(x, weight, bias, padding, activation):
          let k = weight.shape[2], xd = dims[x.index]
          let d = [n, c, xd[2] + 2 * padding - k + 1, xd[3] + 2 * padding - k + 1]
          precondition(d[2] > 0 && d[3] > 0, "convolution of \(xd) with kernel \(k) gives an empty output")
          var src = DNNL.memoryDesc(xd, dnnl_format_tag_any), dst = DNNL.memoryDesc(d, dnnl_format_tag_any)
          var w = DNNL.memoryDesc(weight.shape, dnnl_format_tag_any), b = DNNL.memoryDesc([c], dnnl_a)
          let strides = Self.pair(1), pads = Self.pair(padding)
          var desc = dnnl_convolution_desc_t()
          DNNL.check(
            dnnl_convolution_forward_desc_init(
              &desc, dnnl_forward_inference, dnnl_convolution_direct,
              &src, &w, &b, &dst, strides, pads, pads), "inference conv desc")
          let pd = makePD(&desc, activation: activation, "conv \(xd) → \(d)")
          defer { dnnl_primitive_desc_destroy(pd) }
          let input = source(values[x.index].memory, mds[x.index], wanted: Self.query(pd, 1))
          let wm = constant(weight, DNNL.memoryDesc(weight.shape, dnnl_abcd), wanted: Self.query(pd, 33))
          let bm = constant(bias, DNNL.memoryDesc([c], dnnl_a), wanted: Self.query(pd, 41))
          let out = allocate(Self.query(pd, 17))
          addStep(pd, [(1, input), (33, wm), (41, bm), (17, out.memory)])
          dims.append(d); mds.append(Self.query(pd, 17)); values.append(out)

        case let .transposedConvolution(x, weight, bias):
          let k = weight.shape[2], xd = dims[x.index]
          let d = [n, c, xd[2] * k, xd[3] * k]
          // oneDNN's logical weight order is (O, I, kH, kW); PyTorch's transposed weights are (I, O, kH, kW).
          let logical = [weight.shape[1], weight.shape[0], k, k]
          var src = DNNL.memoryDesc(xd, dnnl_format_tag_any), dst = DNNL.memoryDesc(d, dnnl_format_tag_any)
          var w = DNNL.memoryDesc(logical, dnnl_format_tag_any), b = DNNL.memoryDesc([c], dnnl_a)
          let strides = Self.pair(k), pads = Self.pair(0)
          var desc = dnnl_deconvolution_desc_t()
          DNNL.check(
            dnnl_deconvolution_forward_desc_init(
              &desc, dnnl_forward_inference, dnnl_deconvolution_direct,
              &src, &w, &b, &dst, strides, pads, pads), "inference deconv desc")
          let pd = makePD(&desc, activation: .identity, "deconv \(xd) → \(d)")
          defer { dnnl_primitive_desc_destroy(pd) }
          let input = source(values[x.index].memory, mds[x.index], wanted: Self.query(pd, 1))
          let wm = constant(weight, DNNL.memoryDesc(logical, dnnl_bacd), wanted: Self.query(pd, 33))
          let bm = constant(bias, DNNL.memoryDesc([c], dnnl_a), wanted: Self.query(pd, 41))
          let out = allocate(Self.query(pd, 17))
          addStep(pd, [(1, input), (33, wm), (41, bm), (17, out.memory)])
          dims.append(d); mds.append(Self.query(pd, 17)); values.append(out)

        case let .maxPool(x, k):
          let xd = dims[x.index]
          let d = [n, c, (xd[2] - k) / k + 1, (xd[3] - k) / k + 1]
          var src = mds[x.index], dst = DNNL.memoryDesc(d, dnnl_format_tag_any)
          let strides = Self.pair(k), pads = Self.pair(0)
          var desc = dnnl_pooling_desc_t()
          DNNL.check(
            dnnl_pooling_forward_desc_init(
              &desc, dnnl_forward_inference, dnnl_pooling_max, &src, &dst,
              strides, strides, pads, pads), "inference pool desc")
          let pd = makePD(&desc, activation: .identity, "max pool \(xd)")
          defer { dnnl_primitive_desc_destroy(pd) }
          let out = allocate(Self.query(pd, 17))
          addStep(pd, [(1, values[x.index].memory), (17, out.memory)])
          dims.append(d); mds.append(Self.query(pd, 17)); values.append(out)

        case let .concat(a, b):
          let ad = dims[a.index], bd = dims[b.index]
          precondition(ad[0] == bd[0] && ad[2] == bd[2] && ad[3] == bd[3], "concat of \(ad) and \(bd): sizes differ")
          let d = [n, c, ad[2], ad[3]]
          var dst = DNNL.memoryDesc(d, dnnl_format_tag_any)
          let srcs = [mds[a.index], mds[b.index]]
          let attr = DNNL.userScratchpadAttr()
          defer { dnnl_primitive_attr_destroy(attr) }
          var pd: OpaquePointer?
          DNNL.check(dnnl_concat_primitive_desc_create(&pd, &dst, 2, 1, srcs, attr, engine), "inference concat pd \(d)")
          defer { dnnl_primitive_desc_destroy(pd) }
          let md = dnnl_primitive_desc_query_md(pd, dnnl_query_dst_md, 0)!.pointee
          let out = allocate(md)
          addStep(pd!, [(1024, values[a.index].memory), (1025, values[b.index].memory), (17, out.memory)])
          dims.append(d); mds.append(md); values.append(out)

        case let .dropout(x, p):
          for later in graph.nodes[(index + 1)...] {
            precondition(!Self.reads(later, x), "dropout works in place: node \(x.index) is read after it")
          }
          var md = mds[x.index]
          let count = dims[x.index].reduce(1, *)
          let plainMD = DNNL.memoryDesc(dims[x.index], dnnl_abcd)
          let plain = allocate(plainMD)
          var reorder: Int?
          var inner = plain.pointer
          var plainCopy = plainMD
          if dnnl_memory_desc_equal(&md, &plainCopy) == 0 {
            let blocked = allocate(md)
            inner = blocked.pointer
            reorder = addReorder(from: plainMD, plain.memory, to: md, blocked.memory)
          }
          let elements = dnnl_memory_desc_get_size(&md) / MemoryLayout<Float>.stride
          actions.append(
            .dropout(
              DropoutStep(
                p: p,
                plain: UnsafeMutableBufferPointer(
                  start: plain.pointer.assumingMemoryBound(to: Float.self), count: count),
                reorder: reorder, inner: inner.assumingMemoryBound(to: Float.self),
                target: values[x.index].pointer.assumingMemoryBound(to: Float.self), elements: elements)))
          dims.append(dims[x.index]); mds.append(md); values.append(values[x.index])
        }
      }
      let last = graph.output!.index
      outputShape = dims[last]
      let plainOut = DNNL.memoryDesc(outputShape, dnnl_abcd)
      outputMemory = makeMemory(plainOut, nil)
      var lastMD = mds[last], plainCopy = plainOut
      if dnnl_memory_desc_equal(&lastMD, &plainCopy) == 0 {
        outputReorder = addReorder(from: lastMD, values[last].memory, to: plainOut, outputMemory)
      }
      lastValue = (values[last].pointer, dnnl_memory_desc_get_size(&plainCopy))
      finishScratchpads()
    }

    // MARK: - Running

    /// Runs every step on x (whose storage is borrowed for the run) and returns the plain NCHW output.
    func run(
      _ x: Tensor, dropout: Bool, stream: OpaquePointer,
      draw: (UnsafeMutableBufferPointer<Float>, Float) -> Void
    ) -> Tensor {
      var y = Tensor(uninitializedShape: outputShape)
      x.data.withUnsafeBytes { xp in
        DNNL.check(
          dnnl_memory_set_data_handle(inputMemory, UnsafeMutableRawPointer(mutating: xp.baseAddress!)), "set input")
        y.data.withUnsafeMutableBytes { yp in
          DNNL.check(dnnl_memory_set_data_handle(outputMemory, yp.baseAddress!), "set output")
          for action in actions {
            switch action {
            case let .primitive(i):
              execute(i)
            case let .dropout(d):
              guard dropout else { continue }
              draw(d.plain, d.p)
              if let r = d.reorder { execute(r) }
              DNNL.check(dnnl_stream_wait(stream), "stream_wait")
              let target = d.target, mask = d.inner
              Parallel.forChunks(d.elements) { range in
                for i in range { target[i] *= mask[i] }
              }
            }
          }
          if let r = outputReorder {
            execute(r)
          } else {
            yp.baseAddress!.copyMemory(from: lastValue.pointer, byteCount: lastValue.bytes)
          }
          DNNL.check(dnnl_stream_wait(stream), "stream_wait")
        }
      }
      return y
    }

    private func execute(_ i: Int) {
      let step = steps[i]
      DNNL.check(dnnl_primitive_execute(step.primitive, stream, Int32(step.args.count), step.args), "inference execute")
    }

    /// Frees every primitive, memory object and buffer.
    func destroy() {
      for s in steps { dnnl_primitive_destroy(s.primitive) }
      for m in memories { dnnl_memory_destroy(m) }
      for b in buffers { b.deallocate() }
      scratchpad?.deallocate()
      steps.removeAll(); memories.removeAll(); buffers.removeAll(); scratchpad = nil
    }

    // MARK: - Compiling

    static func pair(_ v: Int) -> [Int64] { [Int64(v), Int64(v)] + [Int64](repeating: 0, count: 10) }

    static func query(_ pd: OpaquePointer, _ argument: Int32) -> dnnl_memory_desc_t {
      dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, argument)!.pointee
    }

    static func reads(_ node: Node, _ v: Value) -> Bool {
      switch node {
      case .input: false
      case let .convolution(x, _, _, _, _), let .transposedConvolution(x, _, _), let .maxPool(x, _), let .dropout(x, _):
        x == v
      case let .concat(a, b): a == v || b == v
      }
    }

    private func makeMemory(_ md: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer?) -> OpaquePointer {
      var md = md
      var memory: OpaquePointer?
      // DNNL_MEMORY_NONE (nil) for memories whose handle is set per run.
      DNNL.check(dnnl_memory_create(&memory, &md, engine, pointer), "inference memory_create")
      memories.append(memory!)
      return memory!
    }

    /// A zeroed buffer with its memory object for `md`.
    private func allocate(_ md: dnnl_memory_desc_t) -> (memory: OpaquePointer, pointer: UnsafeMutableRawPointer) {
      var md = md
      let bytes = max(dnnl_memory_desc_get_size(&md), 64)
      let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
      buffer.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
      buffers.append(buffer)
      return (makeMemory(md, buffer), buffer)
    }

    private func makePD<D>(_ desc: inout D, activation: Activation, _ what: String) -> OpaquePointer {
      let attr = DNNL.userScratchpadAttr()
      defer { dnnl_primitive_attr_destroy(attr) }
      if case let .leakyReLU(slope) = activation {
        var postOps: OpaquePointer?
        DNNL.check(dnnl_post_ops_create(&postOps), "post_ops_create")
        defer { dnnl_post_ops_destroy(postOps) }
        DNNL.check(dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, slope, 0), "post_ops_append_eltwise")
        DNNL.check(dnnl_primitive_attr_set_post_ops(attr, postOps), "set_post_ops")
      }
      var pd: OpaquePointer?
      withUnsafeMutablePointer(to: &desc) { d in
        DNNL.check(
          dnnl_primitive_desc_create(&pd, UnsafeRawPointer(d), attr, engine, nil), "inference primitive_desc \(what)")
      }
      return pd!
    }

    @discardableResult
    private func addStep(_ pd: OpaquePointer, _ args: [(Int32, OpaquePointer)]) -> Int {
      var primitive: OpaquePointer?
      DNNL.check(dnnl_primitive_create(&primitive, pd), "inference primitive_create")
      let scratch = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)!.pointee
      steps.append(
        Step(primitive: primitive!, args: args.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }, scratchpad: scratch))
      actions.append(.primitive(steps.count - 1))
      return steps.count - 1
    }

    private func makeReorder(
      from: dnnl_memory_desc_t, _ fromMemory: OpaquePointer, to: dnnl_memory_desc_t,
      _ toMemory: OpaquePointer
    ) -> Step {
      var from = from, to = to
      let attr = DNNL.userScratchpadAttr()
      defer { dnnl_primitive_attr_destroy(attr) }
      var pd: OpaquePointer?
      DNNL.check(dnnl_reorder_primitive_desc_create(&pd, &from, engine, &to, engine, attr), "inference reorder pd")
      defer { dnnl_primitive_desc_destroy(pd) }
      var primitive: OpaquePointer?
      DNNL.check(dnnl_primitive_create(&primitive, pd), "inference reorder create")
      return Step(
        primitive: primitive!,
        args: [dnnl_exec_arg_t(arg: 1, memory: fromMemory), dnnl_exec_arg_t(arg: 17, memory: toMemory)],
        scratchpad: dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)!.pointee)
    }

    /// A reorder step, kept for the run but not in the action list (its caller decides when it runs).
    private func addReorder(
      from: dnnl_memory_desc_t, _ fromMemory: OpaquePointer, to: dnnl_memory_desc_t, _ toMemory: OpaquePointer
    ) -> Int {
      steps.append(makeReorder(from: from, fromMemory, to: to, toMemory))
      return steps.count - 1
    }

    /// `memory` (layout `md`) as the layout `wanted`: itself, or a buffer a reorder step fills before the consumer.
    private func source(_ memory: OpaquePointer, _ md: dnnl_memory_desc_t, wanted: dnnl_memory_desc_t) -> OpaquePointer
    {
      var md = md, wanted = wanted
      if dnnl_memory_desc_equal(&md, &wanted) != 0 { return memory }
      let target = allocate(wanted)
      actions.append(.primitive(addReorder(from: md, memory, to: wanted, target.memory)))
      return target.memory
    }

    /// A constant tensor (weights, bias) stored once in the layout `wanted`.
    private func constant(_ t: Tensor, _ plain: dnnl_memory_desc_t, wanted: dnnl_memory_desc_t) -> OpaquePointer {
      let target = allocate(wanted)
      var plainMD = plain, wantedMD = wanted
      t.data.withUnsafeBytes { tp in
        if dnnl_memory_desc_equal(&plainMD, &wantedMD) != 0 {
          target.pointer.copyMemory(from: tp.baseAddress!, byteCount: tp.count)
          return
        }
        var source: OpaquePointer?
        DNNL.check(
          dnnl_memory_create(&source, &plainMD, engine, UnsafeMutableRawPointer(mutating: tp.baseAddress!)),
          "constant memory")
        let step = makeReorder(from: plain, source!, to: wanted, target.memory)
        var scratchMD = step.scratchpad
        let bytes = max(dnnl_memory_desc_get_size(&scratchMD), 64)
        let scratch = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        var scratchMemory: OpaquePointer?
        DNNL.check(dnnl_memory_create(&scratchMemory, &scratchMD, engine, scratch), "constant scratchpad")
        let args = step.args + [dnnl_exec_arg_t(arg: 80, memory: scratchMemory)]
        DNNL.check(dnnl_primitive_execute(step.primitive, stream, Int32(args.count), args), "constant reorder")
        DNNL.check(dnnl_stream_wait(stream), "stream_wait")
        dnnl_primitive_destroy(step.primitive)
        dnnl_memory_destroy(scratchMemory)
        dnnl_memory_destroy(source)
        scratch.deallocate()
      }
      return target.memory
    }

    /// One scratchpad buffer, as large as the largest any step needs, shared by every step (they run in turn).
    private func finishScratchpads() {
      var largest = 64
      for s in steps { var md = s.scratchpad; largest = max(largest, dnnl_memory_desc_get_size(&md)) }
      let buffer = UnsafeMutableRawPointer.allocate(byteCount: largest, alignment: 64)
      scratchpad = buffer
      for i in steps.indices {
        let memory = makeMemory(steps[i].scratchpad, buffer)
        steps[i].args.append(dnnl_exec_arg_t(arg: 80, memory: memory))  // DNNL_ARG_SCRATCHPAD
      }
    }
  }
}
