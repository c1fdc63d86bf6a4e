#pragma once

#include <QPlainTextEdit>

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace Vigie {

// Domain XML (or another syntax KSyntaxHighlighting knows, such as "Diff"), highlighted with a
// theme that follows the palette (dark or light). Read-only unless made editable.
class XmlView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit XmlView(QWidget *parent = nullptr, const QString &syntax = QStringLiteral("XML"));
    ~XmlView() override;

    void setXml(const QString &xml);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();

    std::unique_ptr<KSyntaxHighlighting::Repository> m_repository;
    KSyntaxHighlighting::SyntaxHighlighter *m_highlighter;
};

} // namespace Vigie
