// The orchestration's selector over the selector service's Select call.
import Messaging
import Orchestration
import Protos

struct RemoteSelector: SliceSelecting {
  let channel: any RPCChannel

  func select(_ request: SelectionRequest) async throws -> [Int64] {
    var wire = Activeseg_V1_SelectRequest()
    wire.strategy = request.strategy
    wire.datasetID = request.dataset
    wire.labeledSliceIds = request.labeled
    wire.budget = Int32(request.budget)
    wire.seed = request.seed
    wire.encoderID = request.encoder
    wire.modelCheckpointIds = request.models
    wire.parameters = request.parameters.sorted { $0.key < $1.key }.map {
      var parameter = Activeseg_V1_StrategyParameter()
      parameter.key = $0.key
      parameter.value = $0.value
      return parameter
    }
    return try await channel.call(
      "Selector/Select", wire, replying: Activeseg_V1_SelectReply.self,
      options: CallOptions(timeout: .seconds(600), caller: "gateway")
    ).picks.map(\.sliceID)
  }
}
