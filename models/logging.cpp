#include "logging.h"

Q_LOGGING_CATEGORY(lcHypervisor, "vigie.hypervisor", QtInfoMsg)
Q_LOGGING_CATEGORY(lcInventory, "vigie.inventory", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNetwork, "vigie.network", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMetrics, "vigie.metrics", QtInfoMsg)
Q_LOGGING_CATEGORY(lcKeyring, "vigie.keyring", QtInfoMsg)
