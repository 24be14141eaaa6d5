#ifndef TEAMLOG_CLZ4_SHIM_H
#define TEAMLOG_CLZ4_SHIM_H
#include <lz4.h>
#include <lz4hc.h>
#include <lz4frame.h>
#endif
