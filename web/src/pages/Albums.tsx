import { useEffect, useRef, useState } from "react";
import "../account/account.css";
import { api } from "../api/client";
import { AlbumCards, useAlbumListing } from "../albums/AlbumCards";
import { AlbumForm, type AlbumFields } from "../albums/AlbumForm";
import "../albums/albums.css";
import { navigate } from "../router";
import { useSession } from "../session";

function NewAlbum() {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);

  useEffect(() => {
    if (!open && closed.current) {
      closed.current = false;
      toggle.current?.focus();
    }
  }, [open]);

  const create = async (fields: AlbumFields) => {
    const { data } = await api.POST("/api/v1/albums", { body: fields });
    if (data) {
      navigate(`/albums/${encodeURIComponent(data.id)}`);
    }
  };

  if (!open) {
    return (
      <button ref={toggle} type="button" aria-expanded="false" onClick={() => { setOpen(true); }}>
        New album
      </button>
    );
  }
  return (
    <section aria-labelledby="new-album" className="panel">
      <h2 id="new-album">New album</h2>
      <AlbumForm
        submitLabel="Create album"
        pendingLabel="Creating…"
        onSubmit={create}
        onCancel={() => {
          closed.current = true;
          setOpen(false);
        }}
      />
    </section>
  );
}

/** The member's albums, then the albums other members share with everyone signed in. */
export function Albums() {
  const { user } = useSession();
  const own = useAlbumListing(true);
  const all = useAlbumListing(false);
  const me = user?.id;
  return (
    <section className="albums">
      <div className="page-head">
        <h1>Albums</h1>
        <NewAlbum />
      </div>
      <section aria-labelledby="own-albums">
        <h2 id="own-albums">Your albums</h2>
        <AlbumCards
          listing={own}
          label="Your albums"
          empty={<p>You have no albums yet. Create one, then add photos to it from your gallery.</p>}
        />
      </section>
      <section aria-labelledby="other-albums">
        <h2 id="other-albums">Shared by other members</h2>
        <AlbumCards
          listing={all}
          label="Shared by other members"
          filter={(album) => album.owner_id !== me}
          empty={<p>No other member shares an album with everyone yet.</p>}
        />
      </section>
    </section>
  );
}
