// Every libzmq return code goes through `zmqCheck`, which names the call and the errno text.
import CZeroMQ
import Glibc

/// A failed libzmq call: which call, and the errno libzmq reported.
public struct ZMQError: Error, CustomStringConvertible, Sendable {
  public let call: String
  public let errno: Int32

  public var description: String {
    "\(call) failed: \(String(cString: zmq_strerror(errno))) (errno \(errno))"
  }
  var isAgain: Bool { errno == EAGAIN }
  var isInterrupted: Bool { errno == EINTR }
}

/// Throws a `ZMQError` naming `call` when `rc` is -1; returns `rc` otherwise.
@discardableResult
func zmqCheck(_ rc: Int32, _ call: @autoclosure () -> String) throws(ZMQError) -> Int32 {
  if rc == -1 { throw ZMQError(call: call(), errno: zmq_errno()) }
  return rc
}

/// The version of the libzmq this process runs with, e.g. "4.3.4".
public var zmqVersion: String {
  var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
  zmq_version(&major, &minor, &patch)
  return "\(major).\(minor).\(patch)"
}
