// Editing a VM's definition on the demo datacenter's test driver: a valid change is shown as a
// diff and saved through virDomainDefineXML; libvirt's refusal is shown with the edit kept; a
// change of name or UUID is refused before anything is sent; drafts survive selection changes.
#include "domainxmleditor.h"
#include "hypervisor/domainxml.h"
#include "hypervisor/sessionmanager.h"
#include "inventory/inventory.h"
#include "xmldiffdialog.h"
#include "xmlview.h"

#include "replyrecorder.h"

#include <QHelpEvent>
#include <QSet>
#include <QTextBlock>
#include <QToolTip>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Vigie;

class TestDomainXmlEditor : public QObject
{
    Q_OBJECT

    // The saved definition as the host has it now.
    QString savedXml(const VmKey &key)
    {
        XmlRecorder saved;
        m_sessions->requestDomainXml(key, true, saved.reply());
        if (!QTest::qWaitFor([&saved] { return saved.answered; }, 5000))
            return {};
        return saved.xml;
    }

    VmKey vmNamed(const QString &name) const
    {
        for (const VmKey &key : m_inventory.vmKeys()) {
            if (m_inventory.vm(key).name == name)
                return key;
        }
        return {};
    }

    void edit(DomainXmlEditor *editor, const VmKey &key)
    {
        editor->setVm(key);
        editor->startEditing();
        QTRY_VERIFY(editor->isEditing());
        QVERIFY(!editor->view()->isReadOnly());
        QVERIFY(editor->view()->toPlainText().contains(u"<domain"_s));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_sessions = std::make_unique<SessionManager>(&m_inventory);
        QSignalSpy settled(m_sessions.get(), &SessionManager::settled);
        QVERIFY(m_sessions->openDemo());
        QVERIFY(settled.wait(10000));
        m_web = vmNamed(u"web-front-01"_s);
        m_dns = vmNamed(u"dns-resolver-01"_s);
        QVERIFY(m_web.isValid() && m_dns.isValid());
    }

    void cleanupTestCase() { m_sessions.reset(); }

    void showsTheLiveXmlReadOnly()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        editor.setVm(m_web);
        editor.reload();
        QTRY_VERIFY(editor.view()->toPlainText().contains(u"<name>web-front-01</name>"_s));
        QVERIFY(editor.view()->isReadOnly());
        QVERIFY(!editor.isEditing());
    }

    void validChangeIsDiffedAndSaved()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        edit(&editor, m_web);
        QString xml = editor.view()->toPlainText();
        // The demo's title, in the interface's language (French, or English).
        const QString title = m_inventory.vm(m_web).title;
        QVERIFY(!title.isEmpty());
        const QString line = u"<title>%1</title>"_s.arg(title);
        const QString edited = u"<title>%1, edited</title>"_s.arg(title);
        QVERIFY(xml.contains(line));
        xml.replace(line, edited);
        editor.view()->setPlainText(xml);

        QSignalSpy applied(&editor, &DomainXmlEditor::applied);
        editor.apply();
        QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText()));
        XmlDiffDialog *diff = editor.pendingDiff();
        QVERIFY(diff);
        QCOMPARE(diff->addedLines(), 1);
        QCOMPARE(diff->removedLines(), 1);
        QVERIFY(diff->diffText().contains(u"-  "_s + line + u"\n+  "_s + edited));
        diff->accept();
        QVERIFY(applied.wait(5000));
        QVERIFY(!editor.isEditing());
        QVERIFY(editor.errorText().isEmpty());
        const QString saved = savedXml(m_web);
        QVERIFY2(saved.contains(edited), qPrintable(saved.left(400)));
        // A running VM takes the definition at its next boot, and the operator is told so.
        QCOMPARE(editor.statusText().contains(u"next boot"_s), m_inventory.vm(m_web).isActive());
    }

    void libvirtsRefusalKeepsTheEdit()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        edit(&editor, m_web);
        const QString before = savedXml(m_web);
        QString xml = editor.view()->toPlainText();
        QVERIFY(xml.contains(u">hvm</type>"_s));
        xml.replace(u">hvm</type>"_s, u">no-such-os</type>"_s);
        editor.view()->setPlainText(xml);
        editor.apply();
        QVERIFY(editor.pendingDiff());
        editor.pendingDiff()->accept();
        QVERIFY(editor.isSaving());
        QTRY_VERIFY_WITH_TIMEOUT(!editor.isSaving(), 5000);
        const QString prefix = u"libvirt refused the definition; nothing was changed: "_s;
        QVERIFY2(editor.errorText().startsWith(prefix), qPrintable(editor.errorText()));
        QVERIFY2(editor.errorText().size() > prefix.size(), qPrintable(editor.errorText())); // libvirt's own message
        QVERIFY(editor.isEditing());
        QVERIFY(!editor.view()->isReadOnly());
        QCOMPARE(editor.view()->toPlainText(), xml);
        QCOMPARE(savedXml(m_web), before);
        editor.discard();
        QVERIFY(!editor.isEditing());
        QVERIFY2(editor.errorText().isEmpty(), qPrintable(editor.errorText())); // it went with the edit
    }

    void identityChangesAreRefusedBeforeSending()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        edit(&editor, m_web);
        const QString original = editor.view()->toPlainText();

        editor.view()->setPlainText(QString(original).replace(u"<name>web-front-01</name>"_s, u"<name>web-front-99</name>"_s));
        editor.apply();
        QVERIFY(!editor.pendingDiff());
        QVERIFY2(editor.errorText().contains(u"<name> must stay web-front-01"_s), qPrintable(editor.errorText()));

        editor.view()->setPlainText(QString(original).replace(m_web.uuid, u"00000000-0000-0000-0000-000000000001"_s));
        editor.apply();
        QVERIFY(!editor.pendingDiff());
        QVERIFY(editor.errorText().contains(u"<uuid> must stay"_s));

        const QString half = original.left(original.size() / 2);
        editor.view()->setPlainText(half);
        editor.apply();
        QVERIFY(!editor.pendingDiff());
        QVERIFY2(editor.errorText().contains(u"not valid domain XML"_s), qPrintable(editor.errorText()));
        // The cursor is where the parser stopped.
        const DomainXml::Result parsed = DomainXml::parse(half.toUtf8());
        QVERIFY(parsed.errorLine > 1);
        QCOMPARE(editor.view()->textCursor().blockNumber() + 1, parsed.errorLine);
        QCOMPARE(editor.view()->errorLine(), parsed.errorLine);

        editor.view()->setPlainText(original);
        editor.apply();
        QVERIFY(!editor.pendingDiff());
        QVERIFY(editor.errorText().contains(u"unchanged"_s));

        // None of them was sent (a save in flight would show), and a valid save still goes.
        QVERIFY(!editor.isSaving());
        QVERIFY(original.contains(u"</title>"_s));
        editor.view()->setPlainText(QString(original).replace(u"</title>"_s, u", checked</title>"_s));
        QSignalSpy applied(&editor, &DomainXmlEditor::applied);
        editor.apply();
        XmlDiffDialog *diff = editor.pendingDiff();
        QVERIFY2(diff, qPrintable(editor.errorText()));
        diff->accept();
        QVERIFY(applied.wait(5000));
        QCOMPARE(applied.size(), 1);
    }

    // The editor numbers its lines: the gutter sits left of the text, as wide as the line count
    // needs (two digits at least, three from line 100), and follows the text.
    void gutterNumbersTheLines()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        editor.resize(600, 400);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        XmlView *view = editor.view();
        QVERIFY(view->lineNumbersShown());
        QWidget *gutter = view->gutter();
        QVERIFY(gutter && gutter->isVisible());
        QStringList lines;
        for (int i = 1; i <= 99; ++i)
            lines.append(u"<!-- line %1 -->"_s.arg(i));
        view->setPlainText(lines.join(u'\n'));
        QCOMPARE(view->blockCount(), 99);
        const int twoDigits = gutter->width();
        QCOMPARE(twoDigits, view->gutterWidth());
        QVERIFY(twoDigits >= 2 * view->fontMetrics().horizontalAdvance(u'9'));
        // The text starts right of the gutter, never under it.
        QCOMPARE(view->viewport()->geometry().left(), gutter->geometry().right() + 1);
        view->appendPlainText(u"<!-- line 100 -->"_s);
        QCOMPARE(view->blockCount(), 100);
        const int threeDigits = gutter->width();
        QCOMPARE(threeDigits - twoDigits, view->fontMetrics().horizontalAdvance(u'9'));
        QCOMPARE(view->viewport()->geometry().left(), gutter->geometry().right() + 1);
        // Numbers are painted: not one flat colour.
        const QImage image = gutter->grab().toImage();
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); ++x)
                colours.insert(image.pixel(x, y));
        }
        QVERIFY(colours.size() > 3);
        // The diff's view numbers nothing: its lines are not the file's.
        XmlView diffView(nullptr, u"Diff"_s);
        QVERIFY(!diffView.lineNumbersShown());
        QCOMPARE(diffView.gutterWidth(), 0);
    }

    // A definition that does not parse: the parser's line is marked in the gutter (a red number,
    // the message in its tooltip) until the text is edited; re-highlighting is no edit.
    void errorLineIsMarkedUntilEdited()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        editor.resize(700, 500);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        edit(&editor, m_web);
        XmlView *view = editor.view();
        const QString original = view->toPlainText();
        QString broken = original;
        const qsizetype at = broken.indexOf(u"<memory"_s);
        QVERIFY(at > 0);
        broken.insert(at + 7, u" x='1'y"_s); // an attribute glued to the next one
        view->setPlainText(broken);
        QCOMPARE(view->errorLine(), 0);
        editor.apply();
        QVERIFY(!editor.pendingDiff());
        const DomainXml::Result parsed = DomainXml::parse(broken.toUtf8());
        QVERIFY(parsed.errorLine > 1);
        QCOMPARE(view->errorLine(), parsed.errorLine);
        QCOMPARE(view->textCursor().blockNumber() + 1, parsed.errorLine);
        QVERIFY2(editor.errorText().contains(u"but got 'y'"_s), qPrintable(editor.errorText()));

        // In the gutter, that line's row is red; another's is not.
        QCoreApplication::processEvents();
        const int errorY = view->cursorRect().center().y();
        const int otherY = view->cursorRect(QTextCursor(view->document()->firstBlock())).center().y();
        QVERIFY(errorY != otherY);
        const QImage image = view->gutter()->grab().toImage();
        const auto reddish = [](QColor c) { return c.red() > c.green() + 60 && c.red() > c.blue() + 60; };
        QVERIFY(reddish(image.pixelColor(3, errorY)));
        QVERIFY(!reddish(image.pixelColor(3, otherY)));
        if (qEnvironmentVariableIsSet("VIGIE_SAVE_PICTURES"))
            editor.grab().save(qEnvironmentVariable("VIGIE_SAVE_PICTURES") + u"/xml-error-line.png"_s);
        // The number's tooltip says what is wrong there.
        QWidget *gutter = view->gutter();
        QHelpEvent help(QEvent::ToolTip, QPoint(3, errorY), gutter->mapToGlobal(QPoint(3, errorY)));
        QCoreApplication::sendEvent(gutter, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY2(QToolTip::text().contains(u"but got 'y'"_s), qPrintable(QToolTip::text()));
        QToolTip::hideText();

        // Highlighting again (a palette change) changes formats, not the text: the mark stays.
        QPalette palette = view->palette();
        palette.setColor(QPalette::Base, Qt::black);
        palette.setColor(QPalette::Text, Qt::white);
        view->setPalette(palette);
        QCOMPARE(view->errorLine(), parsed.errorLine);
        // Moving about is no edit either.
        view->moveCursor(QTextCursor::Start);
        QCOMPARE(view->errorLine(), parsed.errorLine);

        // A key typed in the text takes the mark away.
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Space);
        QCOMPARE(view->errorLine(), 0);
        view->undo();
        QCOMPARE(view->toPlainText(), broken);
        QCOMPARE(view->errorLine(), 0);
        editor.discard();
    }

    void draftsSurviveSelectionChanges()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        edit(&editor, m_web);
        const QString draft = editor.view()->toPlainText() + u"<!-- half-way -->"_s;
        editor.view()->setPlainText(draft);
        editor.setVm(m_dns);
        QVERIFY(!editor.isEditing());
        editor.setVm(m_web);
        QVERIFY(editor.isEditing());
        QCOMPARE(editor.view()->toPlainText(), draft);
        editor.discard();
        editor.setVm(m_dns);
        editor.setVm(m_web);
        QVERIFY(!editor.isEditing());
    }

    // The operator selects another VM while libvirt answers: the outcome waits in the draft.
    void outcomeOfASaveFollowsItsVm()
    {
        DomainXmlEditor editor(&m_inventory, m_sessions.get());
        edit(&editor, m_web);
        const QString edited = QString(editor.view()->toPlainText()).replace(u">hvm</type>"_s, u">no-such-os</type>"_s);
        editor.view()->setPlainText(edited);
        editor.apply();
        QVERIFY(editor.pendingDiff());
        editor.pendingDiff()->accept();
        editor.setVm(m_dns);
        QVERIFY(editor.isSaving());
        QTRY_VERIFY_WITH_TIMEOUT(!editor.isSaving(), 5000);
        QVERIFY(editor.errorText().isEmpty()); // not shown on the other VM
        editor.setVm(m_web);
        QVERIFY(editor.isEditing());
        QCOMPARE(editor.view()->toPlainText(), edited);
        QVERIFY2(editor.errorText().contains(u"nothing was changed"_s), qPrintable(editor.errorText()));
        editor.discard();
    }

private:
    Inventory m_inventory;
    std::unique_ptr<SessionManager> m_sessions;
    VmKey m_web;
    VmKey m_dns;
};

QTEST_MAIN(TestDomainXmlEditor)
#include "tst_domainxmleditor.moc"
