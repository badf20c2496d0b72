// The one place that speaks oneDNN's 2.x C API: convolution and deconvolution primitives (forward,
// backward-data, backward-weights) on plain NCHW/OIHW user buffers, cached per geometry, run under one lock.
// oneDNN picks its own (blocked) layouts; plain buffers are reordered in and out around each call.
// Scratchpads are user-managed: oneDNN's library-managed scratchpad is thread-local, so a primitive created on
// one thread and run on another overruns it (seen under AddressSanitizer).

import CDNNL
import Synchronization

/// oneDNN (2.x C API) convolution primitives behind plain NCHW float32 buffers.
enum DNNL {
  /// Which buffer plays which role in one execution.
  enum Role: CaseIterable { case src, weights, bias, dst, diffSrc, diffWeights, diffBias, diffDst }
  enum Pass: Int { case forward = 0, backwardData, backwardWeights }

  /// A primitive with the scratchpad it needs.
  struct Step: @unchecked Sendable {
    var primitive: OpaquePointer
    var scratchpad: dnnl_memory_desc_t
  }

  /// How one argument of a pass is fed: straight from the user buffer, or through a reorder to oneDNN's layout.
  struct Binding: @unchecked Sendable {
    var user: dnnl_memory_desc_t
    var inner: dnnl_memory_desc_t
    /// user → internal for inputs, internal → user for outputs; nil when the layouts agree.
    var reorder: Step?
    var isOutput: Bool
  }

  struct Plan: @unchecked Sendable {
    var main: Step
    var bindings: [Role: Binding]
    var implementation: String
  }

  struct State: @unchecked Sendable {
    var engine: OpaquePointer
    var stream: OpaquePointer
    var cache: [ConvGeometry: [Plan]] = [:]
    /// Reused internal buffers (reordered arguments, scratchpads), grown on demand; only touched under the lock.
    var pool: [(pointer: UnsafeMutableRawPointer, bytes: Int)] = []

    mutating func buffer(_ slot: Int, bytes: Int) -> UnsafeMutableRawPointer {
      while pool.count <= slot { pool.append((UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 64), 64)) }
      if pool[slot].bytes < bytes {
        pool[slot].pointer.deallocate()
        pool[slot] = (UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64), bytes)
      }
      return pool[slot].pointer
    }
  }

  private static let state: Mutex<State> = {
    var engine: OpaquePointer?
    check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine_create")
    var stream: OpaquePointer?
    check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue), "stream_create")
    return Mutex(State(engine: engine!, stream: stream!))
  }()

  /// Runs `body` with the process's engine and stream under the lock that serialises every oneDNN call
  /// (for the inference graph, which owns its own primitives and buffers).
  static func withEngine<T>(_ body: (_ engine: OpaquePointer, _ stream: OpaquePointer) -> T) -> T {
    state.withLock { st in body(st.engine, st.stream) }
  }

  static func check(_ status: dnnl_status_t, _ what: String) {
    precondition(status == dnnl_success, "oneDNN \(what) failed with status \(status.rawValue)")
  }

  static func memoryDesc(_ dims: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    let d = dims.map(Int64.init) + [Int64](repeating: 0, count: 12 - dims.count)
    check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), d, dnnl_f32, tag), "memory_desc_init \(dims)")
    return md
  }

  private static func argument(_ role: Role) -> Int32 {
    switch role {  // DNNL_ARG_* values of dnnl_types.h
    case .src: 1
    case .dst: 17
    case .weights: 33
    case .bias: 41
    case .diffSrc: 129
    case .diffDst: 145
    case .diffWeights: 161
    case .diffBias: 169
    }
  }
  private static let scratchpadArgument: Int32 = 80  // DNNL_ARG_SCRATCHPAD

  static func userScratchpadAttr() -> OpaquePointer {
    var attr: OpaquePointer?
    check(dnnl_primitive_attr_create(&attr), "attr_create")
    check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "set_scratchpad_mode")
    return attr!
  }

  private static func makeStep(_ pd: OpaquePointer) -> Step {
    var primitive: OpaquePointer?
    check(dnnl_primitive_create(&primitive, pd), "primitive_create")
    return Step(
      primitive: primitive!, scratchpad: dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)!.pointee)
  }

  private static func makeReorder(from: dnnl_memory_desc_t, to: dnnl_memory_desc_t, engine: OpaquePointer) -> Step {
    var from = from, to = to
    let attr = userScratchpadAttr()
    defer { dnnl_primitive_attr_destroy(attr) }
    var pd: OpaquePointer?
    check(dnnl_reorder_primitive_desc_create(&pd, &from, engine, &to, engine, attr), "reorder pd")
    defer { dnnl_primitive_desc_destroy(pd) }
    return makeStep(pd!)
  }

  private static func makePlans(_ g: ConvGeometry, engine: OpaquePointer) -> [Plan] {
    let weightDims = [g.outputChannels, g.inputChannels, g.kernelHeight, g.kernelWidth]
    // oneDNN's logical weight order is (O, I, kH, kW); PyTorch's transposed weights are (I, O, kH, kW).
    let user: [Role: dnnl_memory_desc_t] = [
      .src: memoryDesc(g.inputShape, dnnl_abcd), .diffSrc: memoryDesc(g.inputShape, dnnl_abcd),
      .dst: memoryDesc(g.outputShape, dnnl_abcd), .diffDst: memoryDesc(g.outputShape, dnnl_abcd),
      .weights: memoryDesc(weightDims, g.transposed ? dnnl_bacd : dnnl_abcd),
      .diffWeights: memoryDesc(weightDims, g.transposed ? dnnl_bacd : dnnl_abcd),
      .bias: memoryDesc([g.outputChannels], dnnl_a), .diffBias: memoryDesc([g.outputChannels], dnnl_a)
    ]
    var src = memoryDesc(g.inputShape, dnnl_format_tag_any), dst = memoryDesc(g.outputShape, dnnl_format_tag_any)
    var weights = memoryDesc(weightDims, dnnl_format_tag_any), bias = memoryDesc([g.outputChannels], dnnl_a)
    let strides = [Int64(g.stride), Int64(g.stride)] + [Int64](repeating: 0, count: 10)
    let pads = [Int64(g.padding), Int64(g.padding)] + [Int64](repeating: 0, count: 10)
    var fwdDesc = dnnl_convolution_desc_t(), bwdDataDesc = dnnl_convolution_desc_t(),
      bwdWDesc = dnnl_convolution_desc_t()
    if g.transposed {
      check(
        dnnl_deconvolution_forward_desc_init(
          &fwdDesc, dnnl_forward_training, dnnl_deconvolution_direct,
          &src, &weights, &bias, &dst, strides, pads, pads), "deconv fwd")
      check(
        dnnl_deconvolution_backward_data_desc_init(
          &bwdDataDesc, dnnl_deconvolution_direct, &src,
          &weights, &dst, strides, pads, pads), "deconv bwd data")
      check(
        dnnl_deconvolution_backward_weights_desc_init(
          &bwdWDesc, dnnl_deconvolution_direct, &src,
          &weights, &bias, &dst, strides, pads, pads), "deconv bwd weights")
    } else {
      check(
        dnnl_convolution_forward_desc_init(
          &fwdDesc, dnnl_forward_training, dnnl_convolution_direct,
          &src, &weights, &bias, &dst, strides, pads, pads), "conv fwd")
      check(
        dnnl_convolution_backward_data_desc_init(
          &bwdDataDesc, dnnl_convolution_direct, &src, &weights,
          &dst, strides, pads, pads), "conv bwd data")
      check(
        dnnl_convolution_backward_weights_desc_init(
          &bwdWDesc, dnnl_convolution_direct, &src, &weights,
          &bias, &dst, strides, pads, pads), "conv bwd weights")
    }
    let attr = userScratchpadAttr()
    defer { dnnl_primitive_attr_destroy(attr) }
    var fwdPD: OpaquePointer?, bwdDataPD: OpaquePointer?, bwdWPD: OpaquePointer?
    check(dnnl_primitive_desc_create(&fwdPD, &fwdDesc, attr, engine, nil), "fwd primitive_desc \(g)")
    check(dnnl_primitive_desc_create(&bwdDataPD, &bwdDataDesc, attr, engine, fwdPD), "bwd data pd \(g)")
    check(dnnl_primitive_desc_create(&bwdWPD, &bwdWDesc, attr, engine, fwdPD), "bwd weights pd \(g)")
    defer { for pd in [fwdPD, bwdDataPD, bwdWPD] { dnnl_primitive_desc_destroy(pd) } }
    let roles: [[Role]] = [
      [.src, .weights, .bias, .dst], [.diffDst, .weights, .diffSrc],
      [.src, .diffDst, .diffWeights, .diffBias]
    ]
    let outputs: Set<Role> = [.dst, .diffSrc, .diffWeights, .diffBias]
    return zip([fwdPD!, bwdDataPD!, bwdWPD!], roles).map { (pd: OpaquePointer, passRoles: [Role]) -> Plan in
      var bindings: [Role: Binding] = [:]
      for role in passRoles {
        var u = user[role]!
        var inner = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, argument(role))!.pointee
        let isOutput = outputs.contains(role)
        let reorder =
          dnnl_memory_desc_equal(&u, &inner) != 0
          ? nil
          : isOutput ? makeReorder(from: inner, to: u, engine: engine) : makeReorder(from: u, to: inner, engine: engine)
        bindings[role] = Binding(user: u, inner: inner, reorder: reorder, isOutput: isOutput)
      }
      var name: UnsafePointer<CChar>?
      let impl =
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success && name != nil
        ? String(cString: name!) : "?"
      return Plan(main: makeStep(pd), bindings: bindings, implementation: impl)
    }
  }

  /// Most geometries kept; past this (e.g. evaluation over many volume sizes) the cache starts over.
  static let cacheLimit = 256

  /// The cached plans for `g`, created on first use.
  private static func plans(_ g: ConvGeometry, _ st: inout State) -> [Plan] {
    if let p = st.cache[g] { return p }
    if st.cache.count >= cacheLimit {
      for plan in st.cache.values.joined() {
        dnnl_primitive_destroy(plan.main.primitive)
        for b in plan.bindings.values { if let r = b.reorder { dnnl_primitive_destroy(r.primitive) } }
      }
      st.cache.removeAll()
    }
    let p = makePlans(g, engine: st.engine)
    st.cache[g] = p
    return p
  }

  /// The oneDNN implementations chosen for `g` (forward, backward-data, backward-weights).
  static func implementations(_ g: ConvGeometry) -> [String] {
    state.withLock { st in plans(g, &st).map(\.implementation) }
  }

  /// Runs one pass of the (de)convolution with `g` on plain user buffers given by role.
  static func execute(_ g: ConvGeometry, _ pass: Pass, _ buffers: [(Role, UnsafeMutableRawPointer)]) {
    state.withLock { st in
      let plan = plans(g, &st)[pass.rawValue]
      var memories: [OpaquePointer] = []
      var nextSlot = 0
      defer { for m in memories { dnnl_memory_destroy(m) } }
      func memory(_ md: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer?) -> OpaquePointer {
        var md = md
        let buffer =
          pointer
          ?? {
            nextSlot += 1
            return st.buffer(nextSlot - 1, bytes: max(dnnl_memory_desc_get_size(&md), 64))
          }()
        var mem: OpaquePointer?
        check(dnnl_memory_create(&mem, &md, st.engine, buffer), "memory_create")
        memories.append(mem!)
        return mem!
      }
      func run(_ step: Step, _ args: [dnnl_exec_arg_t]) {
        let scratch = memory(step.scratchpad, nil)
        let all = args + [dnnl_exec_arg_t(arg: scratchpadArgument, memory: scratch)]
        check(dnnl_primitive_execute(step.primitive, st.stream, Int32(all.count), all), "execute \(pass) \(g)")
      }
      var args: [dnnl_exec_arg_t] = []
      var pendingOutputs: [(Step, OpaquePointer, OpaquePointer)] = []
      for (role, pointer) in buffers {
        guard let b = plan.bindings[role] else { preconditionFailure("oneDNN \(pass) takes no \(role) argument") }
        let userMemory = memory(b.user, pointer)
        guard let reorder = b.reorder else {
          args.append(dnnl_exec_arg_t(arg: argument(role), memory: userMemory))
          continue
        }
        let inner = memory(b.inner, nil)
        if b.isOutput {
          pendingOutputs.append((reorder, inner, userMemory))
        } else {
          run(reorder, [dnnl_exec_arg_t(arg: 1, memory: userMemory), dnnl_exec_arg_t(arg: 17, memory: inner)])
        }
        args.append(dnnl_exec_arg_t(arg: argument(role), memory: inner))
      }
      run(plan.main, args)
      for (reorder, inner, userMemory) in pendingOutputs {
        run(reorder, [dnnl_exec_arg_t(arg: 1, memory: inner), dnnl_exec_arg_t(arg: 17, memory: userMemory)])
      }
      check(dnnl_stream_wait(st.stream), "stream_wait")
    }
  }
}
