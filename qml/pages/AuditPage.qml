pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// For clinic managers: every safety decision, approval, refusal and fault,
// filtered by user, date, severity and kind; a timeline; the hash chain's
// verification badge; export (CSV/JSON) through the store's export.
Rectangle {
    id: page
    objectName: "page_audit"
    property AuthModel auth: null
    property AuditModel audit: null

    color: Theme.surface
    radius: Theme.radius

    // The shell hands the services over after the page is created.
    readonly property bool ready: auth !== null && audit !== null
    onReadyChanged: {
        if (ready && auth.can("view-audit")) {
            audit.refresh()
            audit.verify()
        }
    }

    function userChoices() {
        const out = [qsTr("All users")]
        const actors = audit ? audit.actors : []
        for (let i = 0; i < actors.length; ++i)
            out.push(actors[i])
        return out
    }

    function severityColor(severity) {
        return severity === "critical" ? Theme.danger : severity === "warning" ? Theme.warning : Theme.accent
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing * 2 }
        spacing: Theme.spacing

        // --- Title, chain badge, export --------------------------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Audit trail")
                color: Theme.text
                font.pixelSize: Theme.fontHuge
                font.bold: true
            }
            Rectangle {
                id: badge
                objectName: "verifyBadge"
                readonly property string state_: page.audit ? page.audit.verifyState : "unknown"
                Layout.fillWidth: true
                // As tall as its text needs: "Chain intact · N entries · signed
                // checkpoint verified · t s" takes three lines in the title row,
                // and a fixed two-line badge cut the verdict off mid-word.
                Layout.preferredHeight: Math.max(Theme.touchTarget, verifyLabel.implicitHeight + Theme.spacing)
                radius: Math.min(height / 2, Theme.touchTarget / 2)
                color: state_ === "intact" ? Qt.rgba(0.25, 0.75, 0.5, 0.2)
                       : state_ === "tampered" || state_ === "error" ? Qt.rgba(0.88, 0.22, 0.24, 0.3)
                       : Qt.rgba(0.6, 0.7, 0.75, 0.15)
                border.color: state_ === "intact" ? Theme.ok
                              : state_ === "tampered" || state_ === "error" ? Theme.danger : Theme.border
                border.width: 2
                Text {
                    id: verifyLabel
                    objectName: "verifyText"
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: Theme.spacing * 1.5; rightMargin: Theme.spacing }
                    text: (badge.state_ === "intact" ? "✔ " : badge.state_ === "tampered" ? "✖ " : "")
                          + (page.audit && page.audit.verifyText.length > 0 ? page.audit.verifyText : qsTr("Chain not checked yet"))
                    textFormat: Text.PlainText
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.bold: badge.state_ === "tampered"
                    wrapMode: Text.Wrap
                }
            }
            TouchButton {
                objectName: "verifyButton"
                text: qsTr("Verify")
                enabled: page.audit !== null && page.audit.verifyState !== "checking"
                onClicked: page.audit.verify()
            }
            TouchButton {
                objectName: "exportCsv"
                text: qsTr("Export CSV")
                visible: page.audit !== null && page.audit.canExport
                enabled: page.audit !== null && !page.audit.busy
                onClicked: page.audit.exportTo("csv")
            }
            TouchButton {
                objectName: "exportJson"
                text: qsTr("JSON")
                visible: page.audit !== null && page.audit.canExport
                enabled: page.audit !== null && !page.audit.busy
                onClicked: page.audit.exportTo("json")
            }
            TouchButton {
                objectName: "exportPdf"
                text: qsTr("PDF")
                visible: page.audit !== null && page.audit.canExport
                enabled: page.audit !== null && !page.audit.busy
                onClicked: page.audit.exportTo("pdf")
            }
        }

        // --- Filters -----------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            TouchComboBox {
                id: userBox
                objectName: "auditUser"
                Layout.preferredWidth: 220
                model: page.userChoices()
                onActivated: index => {
                    page.audit.actorFilter = index === 0 ? "" : userBox.textAt(index)
                    page.audit.refresh()
                }
            }
            FormField {
                id: fromField
                fieldName: "auditFrom"
                Layout.preferredWidth: 210
                placeholderText: qsTr("from YYYY-MM-DD")
                inputMethodHints: Qt.ImhDate
                onAccepted: applyButton.clicked()
            }
            FormField {
                id: toField
                fieldName: "auditTo"
                Layout.preferredWidth: 210
                placeholderText: qsTr("to YYYY-MM-DD")
                inputMethodHints: Qt.ImhDate
                onAccepted: applyButton.clicked()
            }
            TouchButton {
                id: applyButton
                objectName: "auditApply"
                text: qsTr("Apply")
                tint: Theme.accent
                enabled: page.audit !== null
                onClicked: {
                    page.audit.fromDate = fromField.text
                    page.audit.toDate = toField.text
                    page.audit.refresh()
                }
            }
            TouchButton {
                objectName: "auditClear"
                text: qsTr("Clear")
                enabled: page.audit !== null
                onClicked: {
                    fromField.text = ""
                    toField.text = ""
                    userBox.currentIndex = 0
                    page.audit.clearFilters()
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            Repeater {
                model: [["all", qsTr("All")], ["critical", qsTr("Critical")], ["warning", qsTr("Warning")], ["info", qsTr("Info")]]
                delegate: TouchButton {
                    required property var modelData
                    objectName: "severity_" + modelData[0]
                    Layout.fillWidth: true
                    text: modelData[1]
                    tint: page.audit && page.audit.severity === modelData[0] ? Theme.accent : Theme.surfaceRaised
                    onClicked: {
                        page.audit.severity = modelData[0]
                        page.audit.refresh()
                    }
                }
            }
        }
        // Kinds on their own row: nine buttons in one row elided their labels.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing / 2
            Repeater {
                model: [["all", qsTr("Everything")], ["refusal", qsTr("Refusals")], ["approval", qsTr("Approvals")],
                        ["fault", qsTr("Faults")], ["login", qsTr("Log-ins")]]
                delegate: TouchButton {
                    required property var modelData
                    objectName: "kind_" + modelData[0]
                    Layout.fillWidth: true
                    text: modelData[1]
                    tint: page.audit && page.audit.kind === modelData[0] ? Theme.accent : Theme.surfaceRaised
                    onClicked: {
                        page.audit.kind = modelData[0]
                        page.audit.refresh()
                    }
                }
            }
        }

        MessageBanner {
            objectName: "auditMessage"
            Layout.fillWidth: true
            text: page.audit ? page.audit.message : qsTr("The clinic database is not connected to this screen.")
        }

        // --- Timeline ------------------------------------------------------------
        Rectangle {
            id: timeline
            objectName: "auditTimeline"
            Layout.fillWidth: true
            Layout.preferredHeight: 54
            radius: Theme.radius
            color: Theme.background
            readonly property real span: page.audit && page.audit.lastUs > page.audit.firstUs ? page.audit.lastUs - page.audit.firstUs : 1
            Repeater {
                model: page.audit
                delegate: Rectangle {
                    required property double utcUs
                    required property string severity
                    width: severity === "info" ? 2 : 4
                    height: severity === "info" ? 18 : 34
                    y: (timeline.height - height) / 2
                    x: 8 + (timeline.width - 16) * (page.audit.count > 1 ? (utcUs - page.audit.firstUs) / timeline.span : 0.5)
                    color: page.severityColor(severity)
                    opacity: severity === "info" ? 0.5 : 1
                }
            }
            Text {
                anchors { left: parent.left; bottom: parent.bottom; margins: 2; leftMargin: 8 }
                text: page.audit && page.audit.count > 0 ? new Date(page.audit.firstUs / 1000).toLocaleString(Qt.locale(), "yyyy-MM-dd HH:mm") : ""
                color: Theme.textMuted
                font.pixelSize: 12
            }
            Text {
                anchors { right: parent.right; bottom: parent.bottom; margins: 2; rightMargin: 8 }
                text: page.audit && page.audit.count > 0 ? new Date(page.audit.lastUs / 1000).toLocaleString(Qt.locale(), "yyyy-MM-dd HH:mm") : ""
                color: Theme.textMuted
                font.pixelSize: 12
            }
        }

        // --- Entries ---------------------------------------------------------------
        ListView {
            id: entries
            objectName: "auditList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 2
            model: page.audit
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar { width: 14 }
            delegate: Rectangle {
                id: entry
                required property int index
                required property int sequence
                required property string timeText
                required property string clockText
                required property string actor
                required property string userRole
                required property string action
                required property string subject
                required property string details
                required property string severity
                width: ListView.view.width - 16
                height: Theme.touchTarget
                radius: 6
                color: index % 2 === 0 ? Theme.surfaceRaised : Qt.darker(Theme.surfaceRaised, 1.15)
                Rectangle {
                    width: 6
                    height: parent.height
                    radius: 3
                    color: page.severityColor(entry.severity)
                }
                RowLayout {
                    anchors { fill: parent; leftMargin: Theme.spacing * 1.5; rightMargin: Theme.spacing }
                    spacing: Theme.spacing
                    Text {
                        Layout.preferredWidth: 60
                        text: "#" + entry.sequence
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall - 2
                        font.family: "DejaVu Sans Mono"
                    }
                    Text {
                        Layout.preferredWidth: 180
                        text: entry.timeText
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall
                        font.family: "DejaVu Sans Mono"
                    }
                    Text {
                        objectName: "auditAction"
                        Layout.preferredWidth: 210
                        text: entry.action
                        textFormat: Text.PlainText
                        color: entry.severity === "info" ? Theme.text : page.severityColor(entry.severity)
                        font.pixelSize: Theme.fontSmall
                        font.bold: entry.severity !== "info"
                        elide: Text.ElideRight
                    }
                    Text {
                        Layout.preferredWidth: 170
                        text: entry.actor + (entry.userRole.length > 0 ? " · " + entry.userRole : "")
                        textFormat: Text.PlainText
                        color: Theme.text
                        font.pixelSize: Theme.fontSmall
                        elide: Text.ElideRight
                    }
                    Text {
                        objectName: "auditDetails"
                        Layout.fillWidth: true
                        text: entry.subject + "  " + entry.details
                        textFormat: Text.PlainText
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall - 2
                        elide: Text.ElideRight
                    }
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: {
                        detail.entry = page.audit.get(entry.index)
                        detail.open()
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: entries.count === 0
                text: page.audit && page.audit.busy ? qsTr("Loading…") : qsTr("No entries match these filters")
                color: Theme.textMuted
                font.pixelSize: Theme.fontBody
            }
        }
    }

    // The full entry, as stored.
    Popup {
        id: detail
        property var entry: ({})
        objectName: "auditDetail"
        modal: true
        dim: true
        anchors.centerIn: Overlay.overlay
        width: 820
        height: 520
        padding: Theme.spacing * 2
        background: Rectangle { radius: Theme.radius; color: Theme.surfaceRaised; border.color: Theme.border; border.width: 2 }
        contentItem: ColumnLayout {
            spacing: Theme.spacing
            Text {
                Layout.fillWidth: true
                text: "#" + (detail.entry.sequence || "") + "  " + (detail.entry.action || "")
                textFormat: Text.PlainText
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: (detail.entry.timeText || "") + (detail.entry.clockText ? qsTr("  · session clock ") + detail.entry.clockText : "")
                      + "\n" + (detail.entry.actor || "") + " (" + (detail.entry.userRole || "") + ") · " + (detail.entry.subject || "")
                textFormat: Text.PlainText
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.Wrap
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                contentWidth: availableWidth
                Text {
                    objectName: "auditDetailText"
                    width: parent.width
                    text: detail.entry.details || ""
                    textFormat: Text.PlainText
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.family: "DejaVu Sans Mono"
                    wrapMode: Text.WrapAnywhere
                }
            }
            TouchButton {
                Layout.alignment: Qt.AlignRight
                text: qsTr("Close")
                onClicked: detail.close()
            }
        }
    }
}
