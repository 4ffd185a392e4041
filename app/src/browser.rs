//! Browser glue for the member's key: the encrypted keys this browser holds
//! (in local storage, never sent anywhere) and reading a backup file.
//! Outside the browser (server rendering) there are no keys.

use crate::keystore::EncryptedKey;

const STORAGE_KEY: &str = "tribune.keys";

/// The encrypted keys stored in this browser.
pub fn stored_keys() -> Vec<EncryptedKey> {
    #[cfg(feature = "hydrate")]
    {
        let text = leptos::prelude::window()
            .local_storage()
            .ok()
            .flatten()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten());
        if let Some(text) = text {
            return serde_json::from_str(&text).unwrap_or_default();
        }
    }
    Vec::new()
}

/// The newest key this browser holds for `member`.
pub fn key_of(member: u64) -> Option<EncryptedKey> {
    stored_keys()
        .into_iter()
        .rev()
        .find(|k| k.member.0 == member)
}

/// Opens `member`'s key with `passphrase`: the signing key and the log
/// origin it is for, or a message for the member.
pub fn unlock(
    member: u64,
    passphrase: &str,
) -> Result<(ed25519_dalek::SigningKey, domain::LogOrigin), String> {
    let stored = key_of(member)
        .ok_or("This browser does not hold your key: import your backup on the sign-in page.")?;
    let key = stored.open(passphrase).map_err(|e| e.to_string())?;
    let origin = domain::LogOrigin::parse(&stored.origin).map_err(|e| e.to_string())?;
    Ok((key, origin))
}

/// Adds (or replaces, by public key) a key in this browser's store.
pub fn store_key(key: &EncryptedKey) -> Result<(), String> {
    let mut keys = stored_keys();
    keys.retain(|k| k.public_key != key.public_key);
    keys.push(key.clone());
    write_keys(&keys)
}

fn write_keys(keys: &[EncryptedKey]) -> Result<(), String> {
    let _text = serde_json::to_string(keys).map_err(|e| e.to_string())?;
    #[cfg(feature = "hydrate")]
    {
        let storage = leptos::prelude::window()
            .local_storage()
            .ok()
            .flatten()
            .ok_or("This browser does not allow storing the key (local storage is off).")?;
        storage
            .set_item(STORAGE_KEY, &_text)
            .map_err(|_| "The key could not be stored in this browser.".to_owned())?;
    }
    let _ = STORAGE_KEY;
    Ok(())
}

/// Removes the key with `public_key` (hex) from this browser's store.
pub fn forget_key(public_key: &str) -> Result<(), String> {
    let keys: Vec<EncryptedKey> = stored_keys()
        .into_iter()
        .filter(|k| k.public_key != public_key)
        .collect();
    write_keys(&keys)
}

/// A `data:` link that downloads `key` as its backup file.
pub fn backup_href(key: &EncryptedKey) -> String {
    let json = key.to_json();
    let mut encoded = String::with_capacity(json.len() * 3);
    for byte in json.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("data:application/json;charset=utf-8,{encoded}")
}

/// The text of the first file chosen in the `<input type=file>` with `id`.
#[cfg(feature = "hydrate")]
pub async fn read_chosen_file(id: &str) -> Result<String, String> {
    use leptos::wasm_bindgen::JsCast;
    let input = leptos::prelude::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .ok_or("No file field.")?;
    let file = input
        .files()
        .and_then(|files| files.get(0))
        .ok_or("Choose your key backup file first.")?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read.".to_owned())?;
    text.as_string()
        .ok_or_else(|| "The file is not text.".to_owned())
}

/// Loads `path` as a new page (so that the header reflects the session).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = leptos::prelude::window().location().assign(path);
    }
    let _ = path;
}

/// Loads this page again, without its query string (which may carry an
/// earlier refusal): what a signed statement changed is shown by the server,
/// as after a plain form post.
pub fn reload_page() {
    #[cfg(feature = "hydrate")]
    {
        let location = leptos::prelude::window().location();
        if let Ok(path) = location.pathname() {
            let _ = location.assign(&path);
        }
    }
}

/// The fields of the form a submit event is for, read from the page itself
/// when the member submits it: what was typed or ticked before the island
/// hydrated counts too.
pub struct FormFields {
    #[cfg(feature = "hydrate")]
    data: Option<web_sys::FormData>,
}

impl FormFields {
    /// The fields of `event`'s form.
    pub fn of(event: &leptos::ev::SubmitEvent) -> Self {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let data = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::HtmlFormElement>().ok())
                .and_then(|form| web_sys::FormData::new_with_form(&form).ok());
            Self { data }
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = event;
            Self {}
        }
    }

    /// The value of the field `name` (empty when there is none).
    pub fn get(&self, name: &str) -> String {
        #[cfg(feature = "hydrate")]
        if let Some(data) = &self.data {
            return data.get(name).as_string().unwrap_or_default();
        }
        let _ = name;
        String::new()
    }

    /// The ids ticked in the checkboxes named `name` (members, authors).
    pub fn ids(&self, name: &str) -> Vec<u64> {
        self.all(name)
            .iter()
            .filter_map(|id| id.parse().ok())
            .collect()
    }

    /// Every value of the fields named `name` (ticked checkboxes).
    pub fn all(&self, name: &str) -> Vec<String> {
        #[cfg(feature = "hydrate")]
        if let Some(data) = &self.data {
            return data
                .get_all(name)
                .iter()
                .filter_map(|value| value.as_string())
                .collect();
        }
        let _ = name;
        Vec::new()
    }
}

/// A key generated, sealed and signed with, in the browser only: work that
/// takes a second or two (Argon2id) runs after the button's label changed.
pub async fn yield_to_browser() {
    #[cfg(feature = "hydrate")]
    {
        let promise =
            leptos::web_sys::js_sys::Promise::resolve(&leptos::wasm_bindgen::JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        // One more turn for the repaint.
        gloo_timeout().await;
    }
}

#[cfg(feature = "hydrate")]
async fn gloo_timeout() {
    let promise = leptos::web_sys::js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
