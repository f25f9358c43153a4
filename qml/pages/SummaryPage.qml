pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Session end (issue 9): what happened on the session clock, per trigger
// point, and the exports (note, handout, JSON, FHIR, EDF+, CSV) to the clinic
// folder or a USB stick. Any past session can be picked from the store's list.
// All reading and writing runs off the GUI thread in SummaryModel.
Rectangle {
    id: page
    objectName: "page_summary"
    property AuthModel auth: null
    property SummaryModel summary: null

    color: Theme.surface
    radius: Theme.radius

    readonly property bool ready: summary !== null && (auth === null || auth.loggedIn)
    onReadyChanged: {
        if (!ready)
            return
        summary.refreshFolders()
        summary.refreshSessions()
        if (!summary.loaded)
            summary.showCurrent()
    }

    readonly property var facts: summary ? summary.header : ({})

    function factLine() {
        if (!summary || !summary.loaded)
            return ""
        const f = facts
        let pain = ""
        if (f.painBefore !== undefined && f.painBefore !== null)
            pain = qsTr("Pain %1 → %2").arg(f.painBefore).arg(f.painAfter !== undefined && f.painAfter !== null ? f.painAfter : "—")
        return [qsTr("%1 (%2)").arg(f.patient).arg(f.mrn), qsTr("therapist %1").arg(f.therapist), f.started, f.duration,
                f.state, pain].filter(s => s.length > 0).join("  ·  ")
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing

        // --- Title and session picker -------------------------------------
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.spacing
            Text {
                text: qsTr("Session summary")
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                font.bold: true
            }
            TouchComboBox {
                id: picker
                objectName: "sessionPicker"
                Layout.fillWidth: true
                model: page.summary ? page.summary.sessions : []
                textRole: "label"
                valueRole: "id"
                displayText: page.summary && page.summary.loaded
                             ? qsTr("Session #%1").arg(page.summary.sessionId)
                             : qsTr("Choose a session")
                onActivated: index => page.summary.load(picker.valueAt(index))
                delegate: ItemDelegate {
                    id: sessionItem
                    required property var modelData
                    width: picker.width
                    height: Theme.touchTarget
                    contentItem: Text {
                        text: sessionItem.modelData.label + "  ·  " + sessionItem.modelData.state
                        textFormat: Text.PlainText
                        color: Theme.text
                        font.pixelSize: Theme.fontBody
                        elide: Text.ElideRight
                        verticalAlignment: Text.AlignVCenter
                    }
                }
            }
            TouchButton {
                objectName: "refreshSessions"
                text: qsTr("Refresh")
                enabled: page.ready
                onClicked: page.summary.refreshSessions()
            }
            TouchButton {
                objectName: "currentSession"
                text: qsTr("Current")
                enabled: page.ready
                onClicked: page.summary.showCurrent()
            }
        }

        Text {
            objectName: "sessionFacts"
            Layout.fillWidth: true
            text: page.summary === null ? qsTr("No summary service.")
                  : page.summary.loading ? qsTr("Reading the session…")
                  : page.summary.message.length > 0 ? page.summary.message
                  : page.summary.loaded ? page.factLine()
                  : qsTr("No session chosen.")
            textFormat: Text.PlainText
            color: page.summary && page.summary.message.length > 0 ? Theme.warning : Theme.textMuted
            font.pixelSize: Theme.fontSmall
            elide: Text.ElideRight
        }

        SessionTimeline {
            objectName: "timeline"
            Layout.fillWidth: true
            Layout.preferredHeight: 150
            summary: page.summary
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            ColumnLayout {
                Layout.fillWidth: true
                Layout.fillHeight: true
                spacing: Theme.spacing / 2
                SiteTable {
                    objectName: "siteTable"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Math.min(implicitHeight, 230)
                    summary: page.summary
                }
                EventList {
                    objectName: "eventList"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    summary: page.summary
                }
            }

            ExportPanel {
                objectName: "exportPanel"
                Layout.preferredWidth: 330
                Layout.fillHeight: true
                summary: page.summary
            }
        }
    }

    ReplaceDialog {
        objectName: "replaceDialog"
        summary: page.summary
    }
}
