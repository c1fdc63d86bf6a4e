#pragma once

#include <QPlainTextEdit>

namespace KSyntaxHighlighting {
class Repository;
class SyntaxHighlighter;
}

namespace Vigie {

// Read-only domain XML, highlighted by KSyntaxHighlighting with a theme that follows the
// palette (dark or light).
class XmlView : public QPlainTextEdit
{
    Q_OBJECT

public:
    explicit XmlView(QWidget *parent = nullptr);
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
