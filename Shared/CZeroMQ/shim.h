// The one entry point of libzmq into Swift. Only the Messaging target imports this module.
#ifndef ACTIVESEG_CZEROMQ_SHIM_H
#define ACTIVESEG_CZEROMQ_SHIM_H
#include <zmq.h>
#endif
