// MigrationBindings' transactions: a port is requested on the source and destination chassis with
// RARP activation for the migration, then its options are put back as they were, the destination
// taking the source's place only when the migration completed. Options other than those two keys
// are never written (one mutate that deletes the two keys and inserts what they become).
#include "network/migrationbindings.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

namespace {

// The options the transaction leaves for the two keys (key absent: not in the map), after checking
// its shape: a mutate of that port's options deleting both keys, then a comment.
QMap<QString, QString> resulting(const QJsonArray &operations, const QString &portUuid)
{
    QMap<QString, QString> options;
    const QJsonObject mutate = operations.at(0).toObject();
    if (mutate.value("op"_L1).toString() != "mutate"_L1 || mutate.value("table"_L1).toString() != "Logical_Switch_Port"_L1
        || mutate.value("where"_L1).toArray() != QJsonArray{QJsonArray{u"_uuid"_s, u"=="_s, QJsonArray{u"uuid"_s, portUuid}}}
        || operations.at(1).toObject().value("op"_L1).toString() != "comment"_L1) {
        options.insert(u"<malformed>"_s, QString());
        return options;
    }
    const QJsonArray mutations = mutate.value("mutations"_L1).toArray();
    const QJsonArray deleted{u"options"_s, u"delete"_s,
                             QJsonArray{u"set"_s, QJsonArray{u"requested-chassis"_s, u"activation-strategy"_s}}};
    if (mutations.at(0).toArray() != deleted)
        options.insert(u"<keys not deleted>"_s, QString());
    for (qsizetype i = 1; i < mutations.size(); ++i) {
        const QJsonArray insert = mutations.at(i).toArray();
        if (insert.at(0).toString() != "options"_L1 || insert.at(1).toString() != "insert"_L1)
            options.insert(u"<unexpected mutation>"_s, QString());
        for (const QJsonValue &pair : insert.at(2).toArray().at(1).toArray())
            options.insert(pair.toArray().at(0).toString(), pair.toArray().at(1).toString());
    }
    return options;
}

} // namespace

class tst_MigrationBindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pin()
    {
        const MigrationBindings::PortOptions port{u"7f46-uuid"_s, u"port-1"_s, u"hv1"_s, QString()};
        const QJsonArray ops = MigrationBindings::pinOperations(port, u"hv1"_s, u"hv2"_s);
        QCOMPARE(ops.size(), 2);
        const QMap<QString, QString> expected{{u"requested-chassis"_s, u"hv1,hv2"_s}, {u"activation-strategy"_s, u"rarp"_s}};
        QCOMPARE(resulting(ops, port.portUuid), expected);
    }

    void release_data()
    {
        QTest::addColumn<QString>("requested");  // before the migration ("" = absent)
        QTest::addColumn<QString>("activation"); // before the migration ("" = absent)
        QTest::addColumn<bool>("completed");
        QTest::addColumn<QString>("expectedRequested");
        QTest::addColumn<QString>("expectedActivation");
        // Vigie's and the lab's ports name no chassis: OVN binds them where the VIF is.
        QTest::newRow("free, completed") << QString() << QString() << true << QString() << QString();
        QTest::newRow("free, failed") << QString() << QString() << false << QString() << QString();
        QTest::newRow("pinned to the source, completed") << u"hv1"_s << QString() << true << u"hv2"_s << QString();
        QTest::newRow("pinned to the source, failed") << u"hv1"_s << QString() << false << u"hv1"_s << QString();
        QTest::newRow("two chassis, the source first") << u"hv1,hv3"_s << QString() << true << u"hv2,hv3"_s << QString();
        QTest::newRow("named elsewhere, kept") << u"hv3"_s << QString() << true << u"hv3"_s << QString();
        QTest::newRow("its own activation strategy kept") << u"hv1"_s << u"rarp"_s << true << u"hv2"_s << u"rarp"_s;
    }

    void release()
    {
        QFETCH(QString, requested);
        QFETCH(QString, activation);
        QFETCH(bool, completed);
        QFETCH(QString, expectedRequested);
        QFETCH(QString, expectedActivation);
        const MigrationBindings::PortOptions port{u"7f46-uuid"_s, u"port-1"_s, requested, activation};
        QMap<QString, QString> expected;
        if (!expectedRequested.isEmpty())
            expected.insert(u"requested-chassis"_s, expectedRequested);
        if (!expectedActivation.isEmpty())
            expected.insert(u"activation-strategy"_s, expectedActivation);
        QCOMPARE(resulting(MigrationBindings::releaseOperations(port, u"hv1"_s, u"hv2"_s, completed), port.portUuid), expected);
    }
};

QTEST_GUILESS_MAIN(tst_MigrationBindings)

#include "tst_migrationbindings.moc"
