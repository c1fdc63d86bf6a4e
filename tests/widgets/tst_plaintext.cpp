// Text from outside (libvirt, the domain XML, the network controller) shown as text: markup is
// never rendered, linked or loaded, and a huge or unbroken string neither widens the window nor
// costs more than a short one. Offscreen, through the real widgets fed by an Inventory.
#include "decoratingproxymodel.h"
#include "displaytext.h"
#include "elidedlabel.h"
#include "hostitem.h"
#include "hypervisor/domainxml.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "itemmodels/vmtablemodel.h"
#include "migrationdialog.h"
#include "notificationbar.h"
#include "plaintext.h"
#include "topologyscene.h"
#include "topologyview.h"
#include "vmchipitem.h"
#include "vmdetailspane.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QTableView>
#include <QTest>

using namespace Vigie;

namespace {

const QString HostUri = QStringLiteral("test:///hv1.xml");
const VmKey Key{HostUri, QStringLiteral("5a1ab001-0001-4000-8000-000000000001")};
constexpr quint64 GiB = 1024 * 1024;
// Wider than any label or dialog of the console may grow for one value (the screen is 1366 px).
constexpr int MaxWidth = 1000;
// Markup an outside string may carry; none of it may reach a label or tooltip as markup.
const QStringList Markup{QStringLiteral("<b>"), QStringLiteral("<a "), QStringLiteral("<img"), QStringLiteral("<table")};

// One 50 MiB string (UTF-16), shared by every row that uses it.
const QString &hugeText()
{
    static const QString text(50 * 1024 * 1024 / 2, u'x');
    return text;
}

enum class Field { Name, Title, Description, Tenant, Host };

void fill(Inventory &inventory, Field field, const QString &value)
{
    HostSnapshot snapshot;
    snapshot.host.uri = HostUri;
    snapshot.host.displayName = field == Field::Host ? value : QStringLiteral("hv1");
    snapshot.host.hypervisorType = QStringLiteral("QEMU");
    snapshot.host.cpus = 16;
    snapshot.host.memoryKiB = 32 * GiB;
    snapshot.host.state = ConnectionState::Connected;
    VmInfo vm;
    vm.hostUri = HostUri;
    vm.uuid = Key.uuid;
    vm.name = field == Field::Name ? value : QStringLiteral("web-1");
    vm.title = field == Field::Title ? value : QString();
    vm.description = field == Field::Description ? value : QString();
    vm.tenant = field == Field::Tenant ? value : QStringLiteral("acme");
    vm.state = VmState::Running;
    vm.vcpus = 2;
    vm.memoryKiB = vm.maxMemoryKiB = 2 * GiB;
    snapshot.vms = {vm};
    inventory.applySnapshot(snapshot);
}

// Only the start is looked at: markup begins there in every hostile value, and the 50 MiB one
// would otherwise cost the test more than the widgets.
bool hasMarkup(const QString &text)
{
    const QStringView start = QStringView(text).left(64);
    return std::any_of(Markup.cbegin(), Markup.cend(), [&](const QString &m) { return start.contains(m, Qt::CaseInsensitive); });
}

// Every label under `root`: plain text, or rich text whose outside part was escaped; no link
// opened; narrow; its text bounded. A tooltip never carries raw markup from outside.
void checkLabels(const QWidget *root, const QString &value)
{
    const bool hostile = hasMarkup(value);
    for (const QLabel *label : root->findChildren<QLabel *>()) {
        const QString what = label->objectName() + QLatin1Char(' ') + label->metaObject()->className();
        QVERIFY2(!label->openExternalLinks(), qPrintable(what));
        // Shown as plain text: said so, or guessed so by Qt (our own labels, "Host:").
        const bool plain = label->textFormat() == Qt::PlainText
                           || (label->textFormat() == Qt::AutoText && !Qt::mightBeRichText(label->text()));
        if (!plain) {
            // Our own markup (a state dot, bold names) is allowed around escaped outside text,
            // said to be rich: never guessed from the text.
            QVERIFY2(label->textFormat() == Qt::RichText, qPrintable(what + QLatin1String(": format guessed from ") + label->text().left(200)));
            if (hostile)
                QVERIFY2(!label->text().contains(value), qPrintable(what + QLatin1String(": ") + label->text()));
            for (const QString &m : {QStringLiteral("<a "), QStringLiteral("<img"), QStringLiteral("<table")})
                QVERIFY2(!label->text().contains(m, Qt::CaseInsensitive), qPrintable(what + QLatin1String(": ") + label->text()));
        }
        QVERIFY2(label->text().size() <= 8 * DisplayText::MaxLength, qPrintable(what));
        QVERIFY2(label->sizeHint().width() < MaxWidth, qPrintable(what + QStringLiteral(": %1 px").arg(label->sizeHint().width())));
        QVERIFY2(label->minimumSizeHint().width() < MaxWidth, qPrintable(what));
        if (hostile)
            QVERIFY2(!label->toolTip().contains(value), qPrintable(what + QLatin1String(": raw markup in the tooltip")));
        QVERIFY2(label->toolTip().size() <= 2 * DisplayText::MaxToolTipLength, qPrintable(what));
    }
}

void saveGrab(QWidget *widget, const QString &name)
{
    if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
        widget->grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + QLatin1Char('/') + name + QStringLiteral(".png"));
}

} // namespace

class TestPlainText : public QObject
{
    Q_OBJECT

private:
    void hostileValues()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QString>("value");
        const QList<std::pair<const char *, QString>> values{
            {"bold", QStringLiteral("<b>x</b>")},
            {"link", QStringLiteral("<a href=\"http://evil\">click</a>")},
            {"image", QStringLiteral("<img src=\"/etc/passwd\">")},
            {"table", QStringLiteral("<table width=3000><tr><td>wide</td></tr></table>")},
            {"word3000", QString(3000, u'W')},
            {"huge", hugeText()},
        };
        const QList<std::pair<const char *, Field>> fields{{"name", Field::Name},
                                                           {"title", Field::Title},
                                                           {"description", Field::Description},
                                                           {"tenant", Field::Tenant},
                                                           {"host", Field::Host}};
        for (const auto &[fieldName, field] : fields) {
            for (const auto &[valueName, value] : values)
                QTest::addRow("%s-%s", fieldName, valueName) << int(field) << value;
        }
    }

private Q_SLOTS:
    void displayText()
    {
        QCOMPARE(DisplayText::bounded(u"short"), QStringLiteral("short"));
        const QString cut = DisplayText::bounded(hugeText());
        QCOMPARE(cut.size(), DisplayText::MaxLength);
        QVERIFY(cut.endsWith(QChar(0x2026)));
        // Never half a surrogate pair.
        QString emoji;
        for (int i = 0; i < 300; ++i)
            emoji += QStringLiteral("\U0001F600");
        const QString emojiCut = DisplayText::bounded(emoji, 11);
        QVERIFY(!emojiCut.at(emojiCut.size() - 2).isHighSurrogate());
        QCOMPARE(DisplayText::singleLine(u"a\nb\tc"), QStringLiteral("a b c"));
        // Escaped, and explicitly rich so that Qt does not guess: "a & b" shows as typed.
        QCOMPARE(DisplayText::toolTip(u"<b>x</b>"), QStringLiteral("<p style='white-space:pre-wrap'>&lt;b&gt;x&lt;/b&gt;</p>"));
        QVERIFY(Qt::mightBeRichText(DisplayText::toolTip(u"a & b")));
        QVERIFY(DisplayText::toolTip(u"").isEmpty());
        // A long word gets break opportunities.
        QVERIFY(DisplayText::wrappable(QString(3000, u'W')).contains(QChar(0x200B)));
        QVERIFY(DisplayText::toolTip(hugeText()).size() < 3 * DisplayText::MaxToolTipLength);
    }

    void detailsPane_data() { hostileValues(); }
    void detailsPane()
    {
        QFETCH(int, field);
        QFETCH(QString, value);
        Inventory inventory;
        fill(inventory, Field(field), value);
        SessionManager sessions(&inventory);
        VmDetailsPane pane(&inventory, &sessions);
        pane.resize(500, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        QElapsedTimer timer;
        timer.start();
        if (Field(field) == Field::Host)
            pane.showHost(HostUri);
        else
            pane.showVm(Key);
        QCoreApplication::processEvents();
        const qint64 ms = timer.elapsed();
        if (value.size() == hugeText().size())
            qInfo("details of a VM or host with a 50 MiB value shown in %lld ms", ms);
        checkLabels(&pane, value);
        QVERIFY2(pane.sizeHint().width() < MaxWidth, qPrintable(QString::number(pane.sizeHint().width())));
        QVERIFY2(pane.minimumSizeHint().width() < MaxWidth, qPrintable(QString::number(pane.minimumSizeHint().width())));
        // The value is there, as typed (its start, for the long ones), in a plain-text label.
        const QString start = DisplayText::singleLine(value).left(20);
        bool shown = false;
        for (const ElidedLabel *label : pane.findChildren<ElidedLabel *>()) {
            if (!label->isVisibleTo(&pane) || !label->fullText().startsWith(start))
                continue;
            shown = true;
            QCOMPARE(label->textFormat(), Qt::PlainText);
            QVERIFY(label->fullText().size() <= DisplayText::MaxToolTipLength);
            // Cut or elided: the tooltip has the rest, escaped.
            if (label->isElided())
                QVERIFY2(label->toolTip().contains(DisplayText::html(value.left(40))), qPrintable(label->toolTip().left(200)));
        }
        QVERIFY2(shown, "the value is shown in the details");
        saveGrab(&pane, QStringLiteral("plaintext-details-%1").arg(QString::fromLatin1(QTest::currentDataTag())));
    }

    // The VM table's model as the main window shows it: through the decorating proxy.
    void vmTable_data() { hostileValues(); }
    void vmTable()
    {
        QFETCH(int, field);
        QFETCH(QString, value);
        Inventory inventory;
        fill(inventory, Field(field), value);
        VmTableModel model(&inventory);
        DecoratingProxyModel decorated;
        decorated.setSourceModel(&model);
        QAbstractItemModelTester tester(&decorated, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTableView view;
        view.setModel(&decorated);
        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.resizeColumnsToContents(); // the worst a view may do
        const bool hostile = hasMarkup(value);
        for (int column = 0; column < decorated.columnCount(); ++column) {
            const QModelIndex index = decorated.index(0, column);
            QVERIFY(index.data().toString().size() <= DisplayText::MaxLength);
            const QString tip = index.data(Qt::ToolTipRole).toString();
            QVERIFY(tip.size() <= 3 * DisplayText::MaxToolTipLength);
            if (hostile)
                QVERIFY2(!tip.contains(value), qPrintable(tip));
        }
        const int column = Field(field) == Field::Tenant ? VmTableModel::TenantColumn
                           : Field(field) == Field::Host ? VmTableModel::HostColumn
                                                         : VmTableModel::NameColumn;
        const QString tip = decorated.index(0, column).data(Qt::ToolTipRole).toString();
        if (Field(field) == Field::Name || Field(field) == Field::Title)
            QVERIFY2(tip.contains(DisplayText::html(value.left(40))), qPrintable(tip.left(300)));
        // One line of text is at most MaxLength characters wide, whatever the value.
        QVERIFY(view.horizontalHeader()->sectionSize(column) < view.fontMetrics().horizontalAdvance(QString(DisplayText::MaxLength + 8, u'W')));
    }

    void topologyChip_data() { hostileValues(); }
    void topologyChip()
    {
        QFETCH(int, field);
        QFETCH(QString, value);
        Inventory inventory;
        fill(inventory, Field(field), value);
        TopologyScene scene(&inventory);
        TopologyView view(&scene);
        view.resize(1366, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        VmChipItem *chip = scene.vmItem(Key);
        QVERIFY(chip);
        HostItem *host = nullptr;
        for (QGraphicsItem *item : scene.items()) {
            if (auto *found = qgraphicsitem_cast<HostItem *>(item))
                host = found;
        }
        QVERIFY(host);
        const bool hostile = hasMarkup(value);
        for (const QString &tip : {chip->toolTipText(), host->toolTip()}) {
            // Rich on purpose, with the outside text escaped and bounded.
            QVERIFY(Qt::mightBeRichText(tip));
            QVERIFY(tip.size() <= 4 * DisplayText::MaxToolTipLength);
            if (hostile)
                QVERIFY2(!tip.contains(value), qPrintable(tip));
        }
        if (Field(field) != Field::Description)
            QVERIFY2((chip->toolTipText() + host->toolTip()).contains(DisplayText::html(value.left(40))), qPrintable(chip->toolTipText().left(300)));
        // Chips and hosts keep their size; the picture draws (bounded text only).
        QVERIFY(chip->boundingRect().width() < MaxWidth);
        QVERIFY(scene.contentRect().width() < 3 * MaxWidth);
        saveGrab(view.viewport(), QStringLiteral("plaintext-topology-%1").arg(QString::fromLatin1(QTest::currentDataTag())));
    }

    void dialogs_data() { hostileValues(); }
    void dialogs()
    {
        QFETCH(QString, value);
        MigrationDialog migration(value, value, QStringLiteral("hv2"), true, MigrationOptions{});
        migration.show();
        QVERIFY(QTest::qWaitForWindowExposed(&migration));
        checkLabels(&migration, value);
        QVERIFY(migration.sizeHint().width() < MaxWidth);
        QVERIFY(migration.windowTitle().size() <= DisplayText::MaxLength + 20);

        NotificationBar bar;
        bar.resize(900, 100);
        bar.notify(NotificationBar::Kind::Error, value, value);
        bar.show();
        checkLabels(&bar, value);
        QVERIFY(bar.sizeHint().width() < MaxWidth);

        QMessageBox box(QMessageBox::Warning, QStringLiteral("title"), value, QMessageBox::Cancel);
        box.setInformativeText(value);
        setPlainText(&box);
        for (const QLabel *label : box.findChildren<QLabel *>()) {
            if (label->pixmap().isNull())
                QCOMPARE(label->textFormat(), Qt::PlainText);
        }
        QInputDialog input;
        input.setLabelText(value);
        setPlainText(&input);
        for (const QLabel *label : input.findChildren<QLabel *>())
            QCOMPARE(label->textFormat(), Qt::PlainText);
    }

    // The real parser on a hostile domain XML: what it keeps is bounded, then shown as text.
    void hostileDomainXml()
    {
        const QByteArray big(7 * 1024 * 1024, 'y'); // under the parser's 8 MiB limit
        const QByteArray xml = "<domain type='kvm'><name>&lt;b&gt;x&lt;/b&gt;</name>"
                               "<uuid>5a1ab001-0001-4000-8000-000000000001</uuid>"
                               "<title>&lt;img src=\"/etc/passwd\"&gt;</title>"
                               "<description>" + big + "</description>"
                               "<memory unit='KiB'>1048576</memory><vcpu>1</vcpu></domain>";
        const DomainXml::Result parsed = DomainXml::parse(xml);
        QVERIFY2(parsed.vm, qPrintable(parsed.error));
        QCOMPARE(parsed.vm->name, QStringLiteral("<b>x</b>"));
        QVERIFY(parsed.vm->description.size() <= 4096);
        VmInfo vm = *parsed.vm;
        vm.hostUri = HostUri;
        vm.state = VmState::Running;
        Inventory inventory;
        HostSnapshot snapshot;
        snapshot.host.uri = HostUri;
        snapshot.host.displayName = QStringLiteral("hv1");
        snapshot.host.state = ConnectionState::Connected;
        snapshot.vms = {vm};
        inventory.applySnapshot(snapshot);
        SessionManager sessions(&inventory);
        VmDetailsPane pane(&inventory, &sessions);
        pane.resize(500, 700);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        pane.showVm({HostUri, vm.uuid});
        checkLabels(&pane, vm.name);
        checkLabels(&pane, vm.title);
        bool nameShown = false;
        for (const QLabel *label : pane.findChildren<QLabel *>())
            nameShown = nameShown || (label->text() == vm.name && label->textFormat() == Qt::PlainText);
        QVERIFY(nameShown);
    }
};

QTEST_MAIN(TestPlainText)
#include "tst_plaintext.moc"
