#pragma once

// qcustomplot.h is written with Qt's keywords (signals, slots, emit, foreach), which Vigie's
// targets turn off (QT_NO_KEYWORDS): spell them as macros around the include, and only there.
#ifndef signals
#define VIGIE_DEFINED_QT_KEYWORDS
#define signals Q_SIGNALS
#define slots Q_SLOTS
#define emit Q_EMIT
#define foreach Q_FOREACH
#endif

#include <qcustomplot.h>

#ifdef VIGIE_DEFINED_QT_KEYWORDS
#undef VIGIE_DEFINED_QT_KEYWORDS
#undef signals
#undef slots
#undef emit
#undef foreach
#endif
