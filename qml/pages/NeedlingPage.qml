pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tautband.Models
import Tautband.Ui

// Dry needling: choose the trigger point on the body map, the needle and the
// technique; the rules engine decides before an insertion is recorded
// (REFUSE shows the rule and why, ACK needs a reason, SUPERVISOR needs a
// second person); live needle EMG with LTR markers and a counter per trigger
// point (information only); needles in/out, pain, adverse events and what
// must happen before the session may close.
Rectangle {
    id: page
    objectName: "page_needling"
    property NeedlingModel needling: null
    property BodyMapModel bodyMap: null
    property ClinicalContext clinical: null
    property AuthModel auth: null

    readonly property var decision: needling ? needling.decision : ({})
    readonly property var site: needling ? needling.site : ({})
    readonly property var estim: needling ? needling.estim : ({})

    color: Theme.surface
    radius: Theme.radius

    // SUPERVISOR rules: see LaserPage.askSupervisor.
    function askSupervisor(ruleId: string) {
        const request = page.needling.supervisorRequest(ruleId)
        if (!request.available)
            return
        supervisorDialog.ruleId = ruleId
        supervisorDialog.ruleText = request.ruleText
        supervisorDialog.context = request.context
        supervisorDialog.scope = request.scope
        supervisorDialog.open()
    }
    SupervisorDialog {
        id: supervisorDialog
        property string scope
        auth: page.auth
        onApproved: (login, sequence, reason) => page.needling.applySupervisorApproval(supervisorDialog.ruleId, login, reason,
                                                                                       sequence, supervisorDialog.scope)
        onRefused: message => page.needling.supervisorRefused(supervisorDialog.ruleId, message)
    }

    component Label2: Text {
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
    }
    component Choice: TouchButton {
        required property string value
        property string current: ""
        tint: value === current ? Theme.accent : Theme.surfaceRaised
        implicitWidth: Math.max(Theme.touchTarget * 1.5, contentItem.implicitWidth + Theme.spacing * 2)
        font.pixelSize: Theme.fontSmall
    }
    component NumberField: SpinBox {
        implicitHeight: Theme.touchTarget
        font.pixelSize: Theme.fontBody
        editable: true
    }

    Text {
        anchors.centerIn: parent
        visible: page.needling === null
        text: qsTr("The needling service is not running.")
        color: Theme.warning
        font.pixelSize: Theme.fontBody
    }

    ColumnLayout {
        anchors { fill: parent; margins: Theme.spacing }
        spacing: Theme.spacing / 2
        visible: page.needling !== null

        // Notices: research amplifier, emergency advice, what is not wired.
        Rectangle {
            objectName: "emergencyAdvice"
            Layout.fillWidth: true
            visible: page.needling !== null && page.needling.emergencyAdvice.length > 0
            implicitHeight: adviceText.implicitHeight + Theme.spacing * 2
            color: Theme.danger
            radius: Theme.radius
            Text {
                id: adviceText
                anchors { fill: parent; margins: Theme.spacing }
                text: page.needling ? page.needling.emergencyAdvice : ""
                color: Theme.text
                font.pixelSize: Theme.fontBody
                font.bold: true
                wrapMode: Text.WordWrap
            }
        }
        Text {
            objectName: "amplifierWarning"
            Layout.fillWidth: true
            visible: text.length > 0
            text: page.needling ? page.needling.amplifierWarning : ""
            color: Theme.warning
            font.pixelSize: Theme.fontSmall
            font.bold: true
            wrapMode: Text.WordWrap
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: Theme.spacing

            // Left: body map and the chosen trigger point.
            ColumnLayout {
                Layout.preferredWidth: 200
                Layout.maximumWidth: 230
                Layout.fillHeight: true
                spacing: Theme.spacing / 2
                RowLayout {
                    spacing: 4
                    Choice { objectName: "viewFront"; value: "front"; current: bodyMapView.view; text: qsTr("Front"); onClicked: bodyMapView.view = "front" }
                    Choice { objectName: "viewBack"; value: "back"; current: bodyMapView.view; text: qsTr("Back"); onClicked: bodyMapView.view = "back" }
                }
                BodyMap {
                    id: bodyMapView
                    objectName: "bodyMap"
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    bodyMap: page.bodyMap
                    selectedRegion: page.site.regionId !== undefined ? page.site.regionId : ""
                    markerX: page.site.view === view ? page.site.x : -1
                    markerY: page.site.view === view ? page.site.y : -1
                    onTapped: (v, x, y) => page.needling.selectPoint(v, x, y)
                }
                Label2 {
                    objectName: "siteLabel"
                    Layout.fillWidth: true
                    text: page.site.selected ? page.site.label : qsTr("Tap the trigger point's muscle")
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                }
                Label2 {
                    Layout.fillWidth: true
                    visible: page.site.zones !== undefined && page.site.zones.length > 0
                    text: qsTr("Risk: %1").arg(page.site.zones ? page.site.zones.join(", ") : "")
                    color: Theme.warning
                }
            }

            // Middle: live trace, LTRs.
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 300
                Layout.minimumWidth: 200
                Layout.fillHeight: true
                spacing: Theme.spacing / 2
                Rectangle {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: 220
                    color: Theme.background
                    radius: Theme.radius
                    EmgTraceItem {
                        id: trace
                        objectName: "emgTrace"
                        anchors { fill: parent; margins: 6 }
                        source: page.needling ? page.needling.display : null
                        windowSeconds: 5
                        rangeUv: page.needling ? page.needling.audioGainUv : 500
                    }
                    Connections {
                        target: page.needling
                        function onLtrMarked(sessionS: real, channel: int, manual: bool) { trace.addMarker(sessionS, channel, manual) }
                    }
                    Text {
                        anchors { left: parent.left; bottom: parent.bottom; margins: 8 }
                        text: page.needling ? page.needling.emgStatus : ""
                        color: Theme.textMuted
                        font.pixelSize: Theme.fontSmall
                    }
                    Text {
                        objectName: "ltrCounter"
                        anchors { right: parent.right; top: parent.top; margins: 8 }
                        text: qsTr("LTR %1").arg(page.needling ? page.needling.siteLtrCount : 0)
                        color: Theme.warning
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                    }
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: 6
                    TouchButton { objectName: "markInsertion"; text: qsTr("Insertion / redirection"); onClicked: page.needling.markInsertion() }
                    TouchButton { objectName: "addManualLtr"; text: qsTr("Add LTR by hand"); onClicked: page.needling.addManualLtr() }
                    TouchButton {
                        objectName: "muteAudio"
                        text: page.needling && page.needling.audioMuted ? qsTr("Sound off") : qsTr("Sound on")
                        enabled: page.needling !== null && page.needling.audioAvailable
                        onClicked: page.needling.audioMuted = !page.needling.audioMuted
                    }
                    TouchButton { text: "−"; implicitWidth: Theme.touchTarget; onClicked: page.needling.audioGainUv = page.needling.audioGainUv * 2 }
                    TouchButton { text: "+"; implicitWidth: Theme.touchTarget; onClicked: page.needling.audioGainUv = page.needling.audioGainUv / 2 }
                }
                Label2 {
                    objectName: "audioMessage"
                    Layout.fillWidth: true
                    visible: page.needling !== null && !page.needling.audioAvailable
                    text: page.needling ? page.needling.audioMessage : ""
                    color: Theme.textMuted
                }
                ListView {
                    objectName: "ltrList"
                    Layout.fillWidth: true
                    Layout.preferredHeight: 180
                    clip: true
                    spacing: 4
                    model: page.needling ? page.needling.ltrs : []
                    delegate: Rectangle {
                        id: ltrRow
                        required property var modelData
                        required property int index
                        width: ListView.view.width
                        height: Theme.touchTarget
                        radius: Theme.radius
                        color: Theme.surfaceRaised
                        RowLayout {
                            anchors { fill: parent; leftMargin: Theme.spacing; rightMargin: 4 }
                            Label2 {
                                Layout.fillWidth: true
                                text: (ltrRow.modelData.manual ? qsTr("by hand") : qsTr("ch %1 · %2 µV").arg(ltrRow.modelData.channel).arg(Math.round(ltrRow.modelData.peakUv)))
                                      + " · " + ltrRow.modelData.onsetS.toFixed(2) + " s · " + ltrRow.modelData.status
                            }
                            TouchButton {
                                text: qsTr("Confirm")
                                visible: ltrRow.modelData.status === "pending"
                                onClicked: page.needling.confirmLtr(ltrRow.index)
                            }
                            TouchButton {
                                text: qsTr("Reject")
                                visible: ltrRow.modelData.status === "pending" || ltrRow.modelData.status === "confirmed"
                                onClicked: page.needling.rejectLtr(ltrRow.index)
                            }
                        }
                    }
                }
            }

            // Right: the act, the decision, needles, pain, events, close.
            ColumnLayout {
                Layout.preferredWidth: 380
                Layout.minimumWidth: 360
                Layout.fillHeight: true
                spacing: Theme.spacing / 2
                TabBar {
                    id: tabs
                    Layout.fillWidth: true
                    TabButton { text: qsTr("Needle"); height: Theme.touchTarget; font.pixelSize: Theme.fontSmall }
                    TabButton { objectName: "tabCase"; text: qsTr("Patient"); height: Theme.touchTarget; font.pixelSize: Theme.fontSmall }
                    TabButton { objectName: "tabNeedles"; text: qsTr("In/out"); height: Theme.touchTarget; font.pixelSize: Theme.fontSmall }
                    TabButton { objectName: "tabEvents"; text: qsTr("Pain/AE"); height: Theme.touchTarget; font.pixelSize: Theme.fontSmall }
                }
                StackLayout {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    currentIndex: tabs.currentIndex

                    // Needle, technique, direction, e-stim, decision.
                    Flickable {
                        clip: true
                        contentHeight: needleColumn.implicitHeight
                        ColumnLayout {
                            id: needleColumn
                            width: parent.width
                            spacing: 6
                            RowLayout {
                                Label2 { text: qsTr("Length mm") }
                                NumberField {
                                    objectName: "needleLength"
                                    from: 5; to: 125
                                    value: page.needling ? page.needling.needleLengthMm : 25
                                    onValueModified: page.needling.needleLengthMm = value
                                }
                            }
                            RowLayout {
                                Label2 { text: qsTr("Gauge ×0.01 mm") }
                                NumberField {
                                    from: 12; to: 40
                                    value: page.needling ? Math.round(page.needling.needleGaugeMm * 100) : 25
                                    onValueModified: page.needling.needleGaugeMm = value / 100
                                }
                            }
                            TextField {
                                objectName: "needleLot"
                                Layout.fillWidth: true
                                implicitHeight: Theme.touchTarget
                                placeholderText: qsTr("Needle lot number")
                                text: page.needling ? page.needling.needleLot : ""
                                onEditingFinished: page.needling.needleLot = text
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: 4
                                Repeater {
                                    model: [["flat", qsTr("Flat palpation")], ["pincer", qsTr("Pincer")], ["rib_bracketing", qsTr("Rib bracketing")]]
                                    delegate: Choice {
                                        required property var modelData
                                        value: modelData[0]
                                        text: modelData[1]
                                        current: page.needling ? page.needling.technique : ""
                                        onClicked: page.needling.technique = value
                                    }
                                }
                            }
                            TouchComboBox {
                                objectName: "direction"
                                Layout.fillWidth: true
                                textRole: "text"
                                valueRole: "value"
                                model: [{ value: "perpendicular", text: qsTr("Perpendicular") },
                                        { value: "tangential", text: qsTr("Tangential") },
                                        { value: "away_from_thorax", text: qsTr("Away from the thorax") },
                                        { value: "toward_thorax", text: qsTr("Toward the thorax") },
                                        { value: "away_from_spine", text: qsTr("Away from the spine") },
                                        { value: "toward_spine", text: qsTr("Toward the spine") }]
                                currentIndex: page.needling ? Math.max(0, indexOfValue(page.needling.direction)) : 0
                                onActivated: page.needling.direction = currentValue
                            }
                            CheckBox {
                                objectName: "estimEnabled"
                                text: qsTr("Electrical stimulation")
                                checked: page.needling ? page.needling.estimEnabled : false
                                onToggled: page.needling.estimEnabled = checked
                            }
                            GridLayout {
                                visible: page.needling !== null && page.needling.estimEnabled
                                columns: 2
                                Label2 { text: qsTr("2nd needle (region id)") }
                                TextField {
                                    Layout.fillWidth: true
                                    text: page.estim.electrode_b_region !== undefined ? page.estim.electrode_b_region : ""
                                    onEditingFinished: page.needling.setEstim("electrode_b_region", text)
                                }
                                Label2 { text: qsTr("Waveform") }
                                TouchComboBox {
                                    Layout.fillWidth: true
                                    model: ["biphasic_symmetric", "biphasic_charge_balanced", "monophasic", "dc"]
                                    onActivated: page.needling.setEstim("waveform", currentText)
                                }
                                Label2 { text: qsTr("Frequency Hz") }
                                NumberField { from: 1; to: 200; value: 2; onValueModified: page.needling.setEstim("frequency_hz", value) }
                                Label2 { text: qsTr("Current mA") }
                                NumberField { from: 0; to: 50; value: 2; onValueModified: page.needling.setEstim("current_ma", value) }
                            }
                            // The decision, in plain words.
                            Rectangle {
                                objectName: "decisionPanel"
                                Layout.fillWidth: true
                                implicitHeight: decisionColumn.implicitHeight + Theme.spacing
                                radius: Theme.radius
                                color: page.decision.level === "REFUSE" || page.decision.level === "LIMIT" ? "#552a1416"
                                     : page.decision.level === "ALLOW" ? "#1f3fbf7f" : "#33f2b134"
                                border.color: page.decision.level === "REFUSE" || page.decision.level === "LIMIT" ? Theme.danger
                                            : page.decision.level === "ALLOW" ? Theme.ok : Theme.warning
                                ColumnLayout {
                                    id: decisionColumn
                                    anchors { left: parent.left; right: parent.right; top: parent.top; margins: Theme.spacing / 2 }
                                    Label2 {
                                        objectName: "decisionLevel"
                                        text: page.decision.level === "ALLOW" ? qsTr("Allowed") : page.decision.level
                                        font.bold: true
                                        font.pixelSize: Theme.fontBody
                                    }
                                    Label2 {
                                        visible: page.decision.maxNeedleLengthMm !== undefined
                                        text: qsTr("Longest needle here: %1 mm").arg(page.decision.maxNeedleLengthMm)
                                    }
                                    Repeater {
                                        objectName: "firedRules"
                                        model: page.decision.fired ? page.decision.fired : []
                                        delegate: ColumnLayout {
                                            id: firedRule
                                            required property var modelData
                                            Layout.fillWidth: true
                                            Label2 {
                                                objectName: "rule_" + firedRule.modelData.ruleId
                                                Layout.fillWidth: true
                                                text: "<b>" + firedRule.modelData.level + " " + firedRule.modelData.ruleId + "</b> — " + firedRule.modelData.message
                                                textFormat: Text.StyledText
                                            }
                                            RowLayout {
                                                visible: firedRule.modelData.level === "ACK" && page.decision.acksRequired.indexOf(firedRule.modelData.ruleId) >= 0
                                                TextField {
                                                    id: ackReason
                                                    Layout.fillWidth: true
                                                    implicitHeight: Theme.touchTarget
                                                    placeholderText: qsTr("Reason (required)")
                                                }
                                                TouchButton {
                                                    text: qsTr("Acknowledge")
                                                    enabled: ackReason.text.trim().length > 0
                                                    onClicked: page.needling.acknowledge(firedRule.modelData.ruleId, ackReason.text)
                                                }
                                            }
                                            Label2 {
                                                objectName: "supervisorState_" + firedRule.modelData.ruleId
                                                visible: firedRule.modelData.level === "SUPERVISOR"
                                                Layout.fillWidth: true
                                                wrapMode: Text.WordWrap
                                                color: firedRule.modelData.approved ? Theme.ok : Theme.warning
                                                // Re-read with the decision (approvals change with it).
                                                text: page.needling && page.decision ? page.needling.supervisorHelp(firedRule.modelData.ruleId) : ""
                                            }
                                            TouchButton {
                                                objectName: "askSupervisor_" + firedRule.modelData.ruleId
                                                visible: firedRule.modelData.level === "SUPERVISOR" && !firedRule.modelData.approved
                                                text: qsTr("Ask a supervisor")
                                                enabled: page.auth !== null
                                                onClicked: page.askSupervisor(firedRule.modelData.ruleId)
                                            }
                                        }
                                    }
                                }
                            }
                            TouchButton {
                                objectName: "insertNeedle"
                                Layout.fillWidth: true
                                text: qsTr("Needle in")
                                tint: Theme.ok
                                enabled: page.decision.mayProceed === true && page.site.selected === true
                                onClicked: page.needling.insertNeedle()
                            }
                        }
                    }

                    // Who and for whom: read from the store (ClinicalContext), never typed here.
                    Flickable {
                        clip: true
                        contentHeight: caseColumn.implicitHeight
                        ColumnLayout {
                            id: caseColumn
                            width: parent.width
                            spacing: 6
                            Label2 {
                                objectName: "casePractitioner"
                                Layout.fillWidth: true
                                text: qsTr("Therapist: %1").arg(page.clinical ? page.clinical.practitionerText : qsTr("unknown"))
                            }
                            Label2 {
                                objectName: "casePatient"
                                Layout.fillWidth: true
                                text: qsTr("Patient: %1").arg(page.clinical ? page.clinical.patientText : qsTr("unknown"))
                            }
                            Label2 {
                                objectName: "caseNotice"
                                Layout.fillWidth: true
                                visible: text.length > 0
                                text: page.needling ? page.needling.caseNotice : ""
                                color: Theme.warning
                            }
                            Label2 {
                                Layout.fillWidth: true
                                text: qsTr("Screening, consent, height and weight come from the patient's record; correct them on the Patients page.")
                                color: Theme.textMuted
                            }
                        }
                    }

                    // Needles in/out and closing.
                    Flickable {
                        clip: true
                        contentHeight: needlesColumn.implicitHeight
                        ColumnLayout {
                            id: needlesColumn
                            width: parent.width
                            spacing: 4
                            Label2 {
                                objectName: "needlesInCount"
                                text: qsTr("%1 needle(s) in").arg(page.needling ? page.needling.needlesIn : 0)
                                font.pixelSize: Theme.fontBody
                                font.bold: true
                            }
                            Repeater {
                                model: page.needling ? page.needling.needles : []
                                delegate: RowLayout {
                                    id: needleRow
                                    required property var modelData
                                    Layout.fillWidth: true
                                    Label2 {
                                        Layout.fillWidth: true
                                        text: "#" + needleRow.modelData.no + " " + needleRow.modelData.site + " " + needleRow.modelData.lengthMm + " mm"
                                              + (needleRow.modelData.out ? (needleRow.modelData.intact ? qsTr(" · out") : qsTr(" · BROKEN")) : qsTr(" · in"))
                                    }
                                    TouchButton { text: qsTr("Out"); visible: !needleRow.modelData.out; onClicked: page.needling.removeNeedle(needleRow.modelData.no, true) }
                                    TouchButton { text: qsTr("Broken"); visible: !needleRow.modelData.out; tint: Theme.danger; onClicked: page.needling.removeNeedle(needleRow.modelData.no, false) }
                                }
                            }
                            TouchButton {
                                visible: page.needling !== null && page.needling.thoracicNeedling
                                text: page.needling && page.needling.pneumothoraxAdviceGiven ? qsTr("Pneumothorax advice given") : qsTr("Pneumothorax advice given now")
                                onClicked: page.needling.recordPneumothoraxAdvice()
                            }
                            RowLayout {
                                visible: page.needling !== null && page.needling.thoracicNeedling
                                Label2 { text: qsTr("Observed (min)") }
                                NumberField { from: 0; to: 240; onValueModified: page.needling.setObservationMinutes(value) }
                            }
                            Repeater {
                                model: page.needling ? page.needling.closeBlockers : []
                                delegate: Label2 {
                                    required property string modelData
                                    Layout.fillWidth: true
                                    text: "• " + modelData
                                    color: Theme.warning
                                }
                            }
                            TouchButton {
                                objectName: "closeNeedling"
                                Layout.fillWidth: true
                                text: page.needling && page.needling.closed ? qsTr("Needling closed") : qsTr("Close needling")
                                enabled: page.needling !== null && !page.needling.closed
                                onClicked: page.needling.closeSession()
                            }
                        }
                    }

                    // Pain and adverse events.
                    Flickable {
                        clip: true
                        contentHeight: eventsColumn.implicitHeight
                        ColumnLayout {
                            id: eventsColumn
                            width: parent.width
                            spacing: 4
                            Repeater {
                                model: [["before", qsTr("Pain before (NPRS)")], ["after", qsTr("Pain after (NPRS)")]]
                                delegate: RowLayout {
                                    id: painRow
                                    required property var modelData
                                    Label2 { text: painRow.modelData[1]; Layout.preferredWidth: 150 }
                                    NumberField {
                                        objectName: "pain_" + painRow.modelData[0]
                                        from: -1; to: 10
                                        value: page.needling ? (painRow.modelData[0] === "before" ? page.needling.painBefore : page.needling.painAfter) : -1
                                        textFromValue: v => v < 0 ? "–" : String(v)
                                        onValueModified: page.needling.setPain(painRow.modelData[0], value)
                                    }
                                }
                            }
                            TouchComboBox {
                                id: aeGrade
                                Layout.fillWidth: true
                                model: ["mild", "moderate", "severe"]
                            }
                            Flow {
                                Layout.fillWidth: true
                                spacing: 4
                                Repeater {
                                    model: [["bleeding", qsTr("Bleeding")], ["bruising", qsTr("Bruising")], ["syncope", qsTr("Syncope")],
                                            ["broken_needle", qsTr("Broken needle")], ["needle_stick", qsTr("Needle-stick (staff)")],
                                            ["suspected_pneumothorax", qsTr("Suspected pneumothorax")]]
                                    delegate: TouchButton {
                                        required property var modelData
                                        objectName: "ae_" + modelData[0]
                                        text: modelData[1]
                                        font.pixelSize: Theme.fontSmall
                                        tint: modelData[0] === "suspected_pneumothorax" ? Theme.danger : Theme.surfaceRaised
                                        onClicked: page.needling.addAdverseEvent(modelData[0], aeGrade.currentText, "")
                                    }
                                }
                            }
                            Repeater {
                                model: page.needling ? page.needling.adverseEvents : []
                                delegate: Label2 {
                                    required property var modelData
                                    text: "• " + modelData.kind + " (" + modelData.grade + ")"
                                }
                            }
                        }
                    }
                }
            }
        }

        Label2 {
            objectName: "needlingMessage"
            Layout.fillWidth: true
            text: !page.needling ? "" : page.needling.message + (page.needling.message.length > 0 && page.needling.recordNotice.length > 0 ? "  ·  " : "") + page.needling.recordNotice
            color: Theme.textMuted
        }
    }
}
