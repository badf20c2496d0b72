// Output that reaches a log file or pipe line by line (stdout is block-buffered when it is not a terminal).
import Foundation

func say(_ line: String) {
  print(line)
  fflush(nil)
}
