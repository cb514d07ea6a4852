// zlib, for its CRC-32 (STUN FINGERPRINT): word-at-a-time, much faster than a byte table.
#ifndef ICELAB_CZLIB_SHIM_H
#define ICELAB_CZLIB_SHIM_H

#include <zlib.h>

#endif
