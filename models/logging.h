#pragma once

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcHypervisor) // vigie.hypervisor
Q_DECLARE_LOGGING_CATEGORY(lcInventory)  // vigie.inventory
Q_DECLARE_LOGGING_CATEGORY(lcNetwork)    // vigie.network
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)    // vigie.metrics
Q_DECLARE_LOGGING_CATEGORY(lcKeyring)    // vigie.keyring
