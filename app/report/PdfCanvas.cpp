#include "report/PdfCanvas.h"

#include <QBuffer>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextLayout>

#include <algorithm>
#include <stdexcept>

namespace tautband::report {
namespace {

constexpr double kMarginSidePt = 46;
constexpr double kMarginTopPt = 40;
constexpr double kMarginBottomPt = 30;
constexpr double kCellPadPt = 3;

// Plain text for QTextLayout: newlines become forced line breaks, other control
// characters become spaces (they have no glyph and must not upset the layout).
QString plain(const QString& text) {
  QString s = text;
  for (QChar& c : s) {
    if (c == QLatin1Char('\n')) c = QChar::LineSeparator;
    else if (c == QLatin1Char('\r')) c = QLatin1Char(' ');
    else if (c.unicode() < 0x20 || (c.unicode() >= 0x7f && c.unicode() < 0xa0)) c = QLatin1Char(' ');
  }
  return s;
}

}  // namespace

struct PdfCanvas::Laid {
  std::unique_ptr<QTextLayout> layout;
  std::vector<double> tops, heights;
  double height = 0;
  int lines() const { return static_cast<int>(heights.size()); }
};

PdfCanvas::PdfCanvas(QPdfWriter& writer, QPainter* painter, const PdfStyle& style, const PageFrame& frame,
                     int pageCount)
    : writer_(writer), painter_(painter), style_(style), frame_(frame), pageCount_(pageCount) {
  dpi_ = writer.resolution();
  left_ = u(kMarginSidePt);
  width_ = writer.width() - 2 * left_;
  pageHeight_ = writer.height();
  bottom_ = pageHeight_ - u(kMarginBottomPt) - u(frame_.footerPt);
  startPage(true);
}

QFont PdfCanvas::font(double pt, bool bold, bool mono) const {
  QFont f(mono ? style_.monoFamily : style_.family);
  // Emoji and other symbols DejaVu lacks come from Symbola (fonts-symbola): an
  // outline font, so the PDF keeps them as text.
  f.setFamilies({mono ? style_.monoFamily : style_.family, QStringLiteral("Symbola")});
  f.setPointSizeF(pt);
  f.setBold(bold);
  f.setStyleHint(mono ? QFont::Monospace : QFont::SansSerif);
  f.setKerning(true);
  return f;
}

void PdfCanvas::startPage(bool first) {
  top_ = u(kMarginTopPt) + (first ? 0 : u(frame_.headerPt));
  y_ = top_;
  if (!painter_) return;
  if (!first && frame_.header) {
    painter_->save();
    frame_.header(*painter_, QRectF(left_, u(kMarginTopPt), width_, u(frame_.headerPt)), page_, pageCount_);
    painter_->restore();
  }
  if (frame_.footer) {
    painter_->save();
    frame_.footer(*painter_, QRectF(left_, bottom_ + u(6), width_, u(frame_.footerPt) - u(6)), page_, pageCount_);
    painter_->restore();
  }
}

void PdfCanvas::newPage() {
  if (painter_) writer_.newPage();
  ++page_;
  startPage(false);
}

void PdfCanvas::space(double pt) {
  y_ += u(pt);
  if (y_ > bottom_) newPage();
}

void PdfCanvas::ensure(double pt) {
  if (y_ + u(pt) > bottom_ && y_ > top_) newPage();
}

std::unique_ptr<PdfCanvas::Laid> PdfCanvas::layOut(const QString& text, const QFont& font, double width,
                                                  Qt::Alignment align, bool breakWords) const {
  auto l = std::make_unique<Laid>();
  const QString s = plain(text);
  l->layout = std::make_unique<QTextLayout>(s, font, &writer_);
  QTextOption option;
  option.setWrapMode(breakWords ? QTextOption::WrapAtWordBoundaryOrAnywhere : QTextOption::WordWrap);
  option.setTextDirection(s.isRightToLeft() ? Qt::RightToLeft : Qt::LeftToRight);
  option.setAlignment(align);
  l->layout->setTextOption(option);
  l->layout->beginLayout();
  double h = 0;
  for (QTextLine line = l->layout->createLine(); line.isValid(); line = l->layout->createLine()) {
    line.setLineWidth(std::max(1.0, width));
    line.setPosition(QPointF(0, h));
    l->tops.push_back(h);
    l->heights.push_back(line.height());
    h += line.height();
  }
  l->layout->endLayout();
  l->height = h;
  return l;
}

void PdfCanvas::heading(const QString& text, int level, double keepPt) {
  const double size = level == 1 ? 12.5 : 10.5;
  const auto laid = layOut(text, font(size, true), width_, Qt::AlignLeft);
  const double gapBefore = u(level == 1 ? 12 : 7);
  if (y_ > top_) y_ += gapBefore;
  if (y_ + laid->height + u(keepPt) > bottom_ && y_ > top_) newPage();
  if (painter_) {
    painter_->setPen(style_.accent);
    for (int i = 0; i < laid->lines(); ++i) laid->layout->lineAt(i).draw(painter_, QPointF(left_, y_));
  }
  y_ += laid->height + u(2);
  if (level == 1 && painter_) {
    painter_->setPen(QPen(style_.accent, u(0.8)));
    painter_->drawLine(QPointF(left_, y_), QPointF(left_ + width_, y_));
  }
  y_ += u(level == 1 ? 5 : 3);
}

void PdfCanvas::paragraph(const QString& text, double sizePt, bool bold, QColor color, double indentPt) {
  const auto laid = layOut(text, font(sizePt > 0 ? sizePt : style_.bodyPt, bold), width_ - u(indentPt), Qt::AlignLeft);
  for (int i = 0; i < laid->lines(); ++i) {
    if (y_ + laid->heights[i] > bottom_ && y_ > top_) newPage();
    if (painter_) {
      painter_->setPen(color);
      laid->layout->lineAt(i).draw(painter_, QPointF(left_ + u(indentPt), y_ - laid->tops[i]));
    }
    y_ += laid->heights[i];
  }
  y_ += u(3);
}

void PdfCanvas::callout(const QString& text, QColor border, QColor fill, double sizePt, bool bold) {
  const double pad = u(6);
  const auto laid = layOut(text, font(sizePt > 0 ? sizePt : style_.bodyPt, bold), width_ - 2 * pad - u(3), Qt::AlignLeft);
  const double h = laid->height + 2 * pad;
  if (h > bottom_ - top_) {  // taller than a page: fall back to a flowing paragraph
    paragraph(text, sizePt, bold, border);
    return;
  }
  if (y_ + h > bottom_) newPage();
  if (painter_) {
    painter_->setPen(Qt::NoPen);
    painter_->setBrush(fill);
    painter_->drawRect(QRectF(left_, y_, width_, h));
    painter_->setBrush(border);
    painter_->drawRect(QRectF(left_, y_, u(3), h));
    painter_->setBrush(Qt::NoBrush);
    painter_->setPen(border.darker(130));
    for (int i = 0; i < laid->lines(); ++i) {
      laid->layout->lineAt(i).draw(painter_, QPointF(left_ + pad + u(3), y_ + pad));
    }
  }
  y_ += h + u(5);
}

void PdfCanvas::block(double heightPt, const std::function<void(QPainter&, const QRectF&)>& draw) {
  const double h = u(heightPt);
  if (y_ + h > bottom_ && y_ > top_) newPage();
  if (painter_) {
    painter_->save();
    draw(*painter_, QRectF(left_, y_, width_, h));
    painter_->restore();
  }
  y_ += h + u(4);
}

void PdfCanvas::fields(const std::vector<std::pair<QString, QString>>& pairs, int columns, double sizePt,
                       double labelWeight) {
  Table t;
  t.grid = false;
  t.zebra = false;
  t.fontPt = sizePt > 0 ? sizePt : style_.bodyPt - 0.5;
  for (int c = 0; c < columns; ++c) {
    t.widths.push_back(labelWeight);
    t.widths.push_back(1.0);
  }
  std::vector<Cell> row;
  for (const auto& [label, value] : pairs) {
    row.push_back(Cell{label, true, style_.muted});
    row.push_back(Cell{value});
    if (static_cast<int>(row.size()) == 2 * columns) {
      t.rows.push_back(std::move(row));
      row.clear();
    }
  }
  if (!row.empty()) {
    row.resize(static_cast<std::size_t>(2 * columns));
    t.rows.push_back(std::move(row));
  }
  table(t);
}

void PdfCanvas::drawHeaderRow(const Table& t, const std::vector<double>& xs, const std::vector<double>& ws, double& y) {
  if (t.header.empty()) return;
  const QFont f = font(t.fontPt, true);
  std::vector<std::unique_ptr<Laid>> cells;
  double h = 0;
  for (std::size_t c = 0; c < t.header.size() && c < ws.size(); ++c) {
    cells.push_back(layOut(t.header[c], f, ws[c] - 2 * u(kCellPadPt), Qt::AlignLeft, false));
    h = std::max(h, cells.back()->height);
  }
  h += 2 * u(kCellPadPt);
  if (painter_) {
    painter_->setPen(Qt::NoPen);
    painter_->setBrush(style_.headerFill);
    painter_->drawRect(QRectF(left_, y, width_, h));
    painter_->setBrush(Qt::NoBrush);
    painter_->setPen(style_.accent.darker(120));
    for (std::size_t c = 0; c < cells.size(); ++c) {
      for (int i = 0; i < cells[c]->lines(); ++i) {
        cells[c]->layout->lineAt(i).draw(painter_, QPointF(xs[c] + u(kCellPadPt), y + u(kCellPadPt)));
      }
    }
    painter_->setPen(QPen(style_.accent, u(0.6)));
    painter_->drawLine(QPointF(left_, y + h), QPointF(left_ + width_, y + h));
  }
  y += h;
}

void PdfCanvas::table(const Table& t) {
  const std::size_t columns = t.widths.size();
  if (columns == 0) return;
  double total = 0;
  for (double w : t.widths) total += w;
  std::vector<double> xs, ws;
  double x = left_;
  for (double w : t.widths) {
    xs.push_back(x);
    ws.push_back(width_ * w / total);
    x += ws.back();
  }
  const double pad = u(kCellPadPt);
  const QFont regular = font(t.fontPt), bold = font(t.fontPt, true);
  // Header height, so a row never starts on a page it cannot begin on.
  double headerH = 0;
  if (!t.header.empty()) {
    double tmp = 0;
    QPainter* saved = painter_;
    painter_ = nullptr;
    drawHeaderRow(t, xs, ws, tmp);
    painter_ = saved;
    headerH = tmp;
  }
  if (y_ + headerH + u(t.fontPt * 2.4) > bottom_ && y_ > top_) newPage();
  drawHeaderRow(t, xs, ws, y_);

  const QPen gridPen(QColor(0xc8, 0xcf, 0xd6), u(0.4));
  int rowIndex = 0;
  for (const auto& row : t.rows) {
    std::vector<std::unique_ptr<Laid>> laid(columns);
    std::vector<int> next(columns, 0);
    std::vector<bool> drawn(columns, false);
    double fullH = 0;
    for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
      const Cell& cell = row[c];
      double h = 0;
      if (!cell.text.isEmpty()) {
        laid[c] = layOut(cell.text, cell.bold ? bold : regular, ws[c] - 2 * pad, cell.align);
        h = laid[c]->height;
      }
      if (cell.drawing) h += u(cell.drawingHeightPt) + (h > 0 ? u(2) : 0);
      fullH = std::max(fullH, h);
    }
    fullH += 2 * pad;
    if (y_ + fullH > bottom_ && y_ > top_ && fullH <= bottom_ - (u(kMarginTopPt) + u(frame_.headerPt)) - headerH) {
      newPage();
      drawHeaderRow(t, xs, ws, y_);
    }
    const QColor fill = t.zebra && (rowIndex % 2 == 1) ? style_.zebraFill : QColor();
    // Draw the row in chunks: all of it when it fits, else what fits per page.
    bool finished = false;
    while (!finished) {
      const double avail = bottom_ - y_ - 2 * pad;
      double chunkH = 0;
      std::vector<int> from = next;
      std::vector<bool> drawNow(columns, false);
      finished = true;
      for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
        double h = 0;
        if (laid[c]) {
          while (next[c] < laid[c]->lines() && (h + laid[c]->heights[static_cast<std::size_t>(next[c])] <= avail ||
                                               (h == 0 && y_ <= top_ + headerH + u(1)))) {
            h += laid[c]->heights[static_cast<std::size_t>(next[c])];
            ++next[c];
          }
          if (next[c] < laid[c]->lines()) finished = false;
        }
        const Cell& cell = row[c];
        if (cell.drawing && !drawn[c] && (!laid[c] || next[c] == laid[c]->lines())) {
          const double dh = u(cell.drawingHeightPt) + (h > 0 ? u(2) : 0);
          if (h + dh <= avail || y_ <= top_ + headerH + u(1)) {
            drawNow[c] = true;
            drawn[c] = true;
            h += dh;
          } else {
            finished = false;
          }
        }
        chunkH = std::max(chunkH, h);
      }
      chunkH += 2 * pad;
      if (painter_) {
        for (std::size_t c = 0; c < columns && c < row.size(); ++c) {
          const Cell& cell = row[c];
          const QColor bg = cell.background.isValid() ? cell.background : fill;
          if (bg.isValid()) painter_->fillRect(QRectF(xs[c], y_, ws[c], chunkH), bg);
          double cy = y_ + pad;
          if (laid[c]) {
            painter_->setPen(cell.color);
            for (int i = from[c]; i < next[c]; ++i) {
              laid[c]->layout->lineAt(i).draw(
                  painter_, QPointF(xs[c] + pad, cy - laid[c]->tops[static_cast<std::size_t>(from[c])]));
            }
            if (next[c] > from[c]) {
              cy += laid[c]->tops[static_cast<std::size_t>(next[c] - 1)] + laid[c]->heights[static_cast<std::size_t>(next[c] - 1)] -
                    laid[c]->tops[static_cast<std::size_t>(from[c])] + u(2);
            }
          }
          if (drawNow[c]) {
            painter_->save();
            cell.drawing(*painter_, QRectF(xs[c] + pad, cy, ws[c] - 2 * pad, u(cell.drawingHeightPt)));
            painter_->restore();
          }
        }
        if (t.grid) {
          painter_->setPen(gridPen);
          painter_->drawLine(QPointF(left_, y_ + chunkH), QPointF(left_ + width_, y_ + chunkH));
        }
      }
      y_ += chunkH;
      if (!finished) {
        newPage();
        drawHeaderRow(t, xs, ws, y_);
      }
    }
    ++rowIndex;
  }
  y_ += u(6);
}

namespace {
int renderInto(QIODevice& device, const QPageSize& pageSize, const QString& title, const PdfStyle& style,
               const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
  QPdfWriter writer(&device);
  writer.setResolution(600);
  writer.setPageSize(pageSize);
  writer.setPageMargins(QMarginsF(0, 0, 0, 0));
  writer.setTitle(title);
  writer.setCreator(QStringLiteral("Tautband"));
  int pages = 0;
  {
    PdfCanvas measure(writer, nullptr, style, frame, 0);
    build(measure);
    pages = measure.page();
  }
  QPainter painter;
  if (!painter.begin(&writer)) throw std::runtime_error("cannot start the PDF painter");
  painter.setRenderHint(QPainter::Antialiasing, true);
  PdfCanvas canvas(writer, &painter, style, frame, pages);
  build(canvas);
  painter.end();
  return canvas.page();
}
}  // namespace

int PdfCanvas::renderToBytes(QByteArray& out, const QPageSize& pageSize, const QString& title, const PdfStyle& style,
                             const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
  QBuffer buffer(&out);
  buffer.open(QIODevice::WriteOnly);
  return renderInto(buffer, pageSize, title, style, frame, build);
}

int PdfCanvas::render(const QString& path, const QPageSize& pageSize, const QString& title, const PdfStyle& style,
                      const PageFrame& frame, const std::function<void(PdfCanvas&)>& build) {
  QByteArray bytes;
  const int pages = renderToBytes(bytes, pageSize, title, style, frame, build);
  QSaveFile file(path);  // never a half-written report
  if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
    throw std::runtime_error("cannot write " + path.toStdString() + ": " + file.errorString().toStdString());
  }
  return pages;
}

}  // namespace tautband::report
