//! The typed part of each event: the fields Quo documents, read tolerantly.
//!
//! Every field is optional or a possibly empty list, because deliveries in
//! the wild leave fields out and older ones use other names (`body` for
//! `text`, `to` as one string, media as bare URLs). Anything not typed here
//! is still in the event's raw JSON ([`Envelope::raw`](super::Envelope)).
//! These are hand-written on purpose: webhook payloads are not in Quo's
//! OpenAPI document.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::wire;

type Time = Option<DateTime<Utc>>;

/// Which way a message or call went.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// To a Quo number (`incoming`; also `inbound`).
    Incoming,
    /// From a Quo number (`outgoing`; also `outbound`).
    Outgoing,
    /// Any other value, verbatim.
    Other(String),
}

impl<'de> Deserialize<'de> for Direction {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(match text.as_str() {
            "incoming" | "inbound" => Direction::Incoming,
            "outgoing" | "outbound" => Direction::Outgoing,
            _ => Direction::Other(text),
        })
    }
}

/// A media file: an MMS attachment, a call recording or a voicemail.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Media {
    /// Where to download it.
    pub url: Option<String>,
    /// Its MIME type (`type`), e.g. `image/png`.
    pub media_type: Option<String>,
    /// Its length in seconds (recordings and voicemails).
    pub duration: Option<f64>,
}

impl<'de> Deserialize<'de> for Media {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Object {
            #[serde(default)]
            url: Option<String>,
            #[serde(default, rename = "type")]
            media_type: Option<String>,
            #[serde(default, deserialize_with = "wire::number")]
            duration: Option<f64>,
        }
        // Older deliveries list media as bare URLs.
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Url(String),
            Object(Object),
        }
        Ok(match Shape::deserialize(d)? {
            Shape::Url(url) => Media {
                url: Some(url),
                ..Media::default()
            },
            Shape::Object(o) => Media {
                url: o.url,
                media_type: o.media_type,
                duration: o.duration,
            },
        })
    }
}

/// A text message (`message.received`, `message.delivered`, `message.failed`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(from = "MessageWire")]
#[non_exhaustive]
pub struct MessageData {
    /// The message's id (`AC...`).
    pub id: Option<String>,
    /// The sender's phone number (E.164).
    pub from: Option<String>,
    /// The recipients' phone numbers (also when sent as one string).
    pub to: Vec<String>,
    /// Which way it went.
    pub direction: Option<Direction>,
    /// The text (`text`, or `body` in older deliveries).
    pub text: Option<String>,
    /// Its delivery status, e.g. `received`, `delivered`, `failed`.
    pub status: Option<String>,
    /// Attached media (MMS).
    pub media: Vec<Media>,
    /// The conversation it belongs to.
    pub conversation_id: Option<String>,
    /// The Quo phone number it went through (`PN...`).
    pub phone_number_id: Option<String>,
    /// The Quo user who sent it, or owns the number it came to (`US...`).
    pub user_id: Option<String>,
    /// The contacts Quo matched to the other party.
    pub contact_ids: Vec<String>,
    /// When it was created.
    pub created_at: Time,
    /// When it last changed.
    pub updated_at: Time,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MessageWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default, deserialize_with = "wire::string_list")]
    to: Vec<String>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    body: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "wire::list")]
    media: Vec<Media>,
    #[serde(default)]
    conversation_id: Option<String>,
    #[serde(default)]
    phone_number_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "wire::string_list")]
    contact_ids: Vec<String>,
    #[serde(default)]
    created_at: Time,
    #[serde(default)]
    updated_at: Time,
}

impl From<MessageWire> for MessageData {
    fn from(w: MessageWire) -> Self {
        MessageData {
            id: w.id,
            from: w.from,
            to: w.to,
            direction: w.direction,
            text: w.text.or(w.body),
            status: w.status,
            media: w.media,
            conversation_id: w.conversation_id,
            phone_number_id: w.phone_number_id,
            user_id: w.user_id,
            contact_ids: w.contact_ids,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// A call, or a recording or voicemail of one (`call.*` events other than
/// summaries and transcripts).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(from = "CallWire")]
#[non_exhaustive]
pub struct CallData {
    /// The call's id (`AC...`); for a recording or voicemail, its own id.
    pub id: Option<String>,
    /// The call a recording or voicemail belongs to (`callId`).
    pub call_id: Option<String>,
    /// Which way it went.
    pub direction: Option<Direction>,
    /// Its status, e.g. `ringing`, `completed`, `missed`.
    pub status: Option<String>,
    /// Its length in seconds.
    pub duration: Option<u64>,
    /// The other parties' phone numbers.
    pub participants: Vec<String>,
    /// The Quo user who answered (`answeredBy`, or `answeredByUserId`).
    pub answered_by: Option<String>,
    /// The Quo user who placed it.
    pub initiated_by: Option<String>,
    /// Who it was forwarded from.
    pub forwarded_from: Option<String>,
    /// Who it was forwarded to.
    pub forwarded_to: Option<String>,
    /// The Quo phone number it went through (`PN...`).
    pub phone_number_id: Option<String>,
    /// The Quo user it belongs to (`US...`).
    pub user_id: Option<String>,
    /// The contacts Quo matched to the other parties.
    pub contact_ids: Vec<String>,
    /// Recordings and other media of the call.
    pub media: Vec<Media>,
    /// The voicemail left, if any.
    pub voicemail: Option<Media>,
    /// When it was created.
    pub created_at: Time,
    /// When it was answered.
    pub answered_at: Time,
    /// When it ended.
    pub completed_at: Time,
    /// When it last changed.
    pub updated_at: Time,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CallWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    call_id: Option<String>,
    #[serde(default)]
    direction: Option<Direction>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default, deserialize_with = "wire::whole")]
    duration: Option<u64>,
    #[serde(default, deserialize_with = "wire::string_list")]
    participants: Vec<String>,
    #[serde(default)]
    answered_by: Option<String>,
    #[serde(default)]
    answered_by_user_id: Option<String>,
    #[serde(default)]
    initiated_by: Option<String>,
    #[serde(default)]
    forwarded_from: Option<String>,
    #[serde(default)]
    forwarded_to: Option<String>,
    #[serde(default)]
    phone_number_id: Option<String>,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default, deserialize_with = "wire::string_list")]
    contact_ids: Vec<String>,
    #[serde(default, deserialize_with = "wire::list")]
    media: Vec<Media>,
    #[serde(default)]
    voicemail: Option<Media>,
    #[serde(default)]
    created_at: Time,
    #[serde(default)]
    answered_at: Time,
    #[serde(default)]
    completed_at: Time,
    #[serde(default)]
    updated_at: Time,
}

impl From<CallWire> for CallData {
    fn from(w: CallWire) -> Self {
        CallData {
            id: w.id,
            call_id: w.call_id,
            direction: w.direction,
            status: w.status,
            duration: w.duration,
            participants: w.participants,
            answered_by: w.answered_by.or(w.answered_by_user_id),
            initiated_by: w.initiated_by,
            forwarded_from: w.forwarded_from,
            forwarded_to: w.forwarded_to,
            phone_number_id: w.phone_number_id,
            user_id: w.user_id,
            contact_ids: w.contact_ids,
            media: w.media,
            voicemail: w.voicemail,
            created_at: w.created_at,
            answered_at: w.answered_at,
            completed_at: w.completed_at,
            updated_at: w.updated_at,
        }
    }
}

/// A call's AI summary (`call.summary.completed`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallSummaryData {
    /// The call summarised.
    #[serde(default)]
    pub call_id: Option<String>,
    /// The summary's status, e.g. `completed`.
    #[serde(default)]
    pub status: Option<String>,
    /// The summary, one point per entry.
    #[serde(default, deserialize_with = "wire::string_list")]
    pub summary: Vec<String>,
    /// Suggested next steps.
    #[serde(default, deserialize_with = "wire::string_list")]
    pub next_steps: Vec<String>,
    /// The contacts Quo matched to the call's other parties.
    #[serde(default, deserialize_with = "wire::string_list")]
    pub contact_ids: Vec<String>,
}

/// A call's transcript (`call.transcript.completed`).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CallTranscriptData {
    /// The call transcribed.
    #[serde(default)]
    pub call_id: Option<String>,
    /// The transcript's status, e.g. `completed`.
    #[serde(default)]
    pub status: Option<String>,
    /// The length of the transcribed audio in seconds.
    #[serde(default, deserialize_with = "wire::number")]
    pub duration: Option<f64>,
    /// What was said, in order.
    #[serde(default, deserialize_with = "wire::list")]
    pub dialogue: Vec<DialogueLine>,
    /// The contacts Quo matched to the call's other parties.
    #[serde(default, deserialize_with = "wire::string_list")]
    pub contact_ids: Vec<String>,
    /// When the transcript was created.
    #[serde(default)]
    pub created_at: Time,
}

/// One utterance of a transcript.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DialogueLine {
    /// What was said.
    #[serde(default)]
    pub content: Option<String>,
    /// When it started, in seconds from the start of the call.
    #[serde(default, deserialize_with = "wire::number")]
    pub start: Option<f64>,
    /// When it ended, in seconds from the start of the call.
    #[serde(default, deserialize_with = "wire::number")]
    pub end: Option<f64>,
    /// Who said it: a phone number.
    #[serde(default)]
    pub identifier: Option<String>,
    /// Who said it, when a Quo user (`US...`).
    #[serde(default)]
    pub user_id: Option<String>,
}

/// A contact that was created, changed or deleted (`contact.updated`,
/// `contact.deleted`). Names are read from `defaultFields` as the contacts
/// API sends them, or from the top level.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(from = "ContactWire")]
#[non_exhaustive]
pub struct ContactData {
    /// The contact's id.
    pub id: Option<String>,
    /// Your own id for it, if one was set through the API.
    pub external_id: Option<String>,
    /// Where it came from, e.g. `public-api`, `csv`.
    pub source: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Company.
    pub company: Option<String>,
    /// Role.
    pub role: Option<String>,
    /// When it was created.
    pub created_at: Time,
    /// When it last changed.
    pub updated_at: Time,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct NameFields {
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    role: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContactWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    external_id: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    default_fields: Option<NameFields>,
    #[serde(default)]
    first_name: Option<String>,
    #[serde(default)]
    last_name: Option<String>,
    #[serde(default)]
    company: Option<String>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    created_at: Time,
    #[serde(default)]
    updated_at: Time,
}

impl From<ContactWire> for ContactData {
    fn from(w: ContactWire) -> Self {
        let nested = w.default_fields.unwrap_or_default();
        ContactData {
            id: w.id,
            external_id: w.external_id,
            source: w.source,
            first_name: nested.first_name.or(w.first_name),
            last_name: nested.last_name.or(w.last_name),
            company: nested.company.or(w.company),
            role: nested.role.or(w.role),
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}
